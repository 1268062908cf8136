/** The words of a list written as one string, split on whitespace. */
export const words = (text: string): string[] => text.trim().split(/\s+/);
