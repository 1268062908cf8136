/** A JSON Schema node, as far as the suites read it. */
interface SchemaNode {
  type?: unknown;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: unknown;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  allOf?: SchemaNode[];
}

/** The schema's object shapes: itself, or each branch of a top-level anyOf / oneOf / allOf. */
export function objectShapes(schema: Record<string, unknown>): SchemaNode[] {
  const node = schema as SchemaNode;
  const branches = [...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])];
  return node.properties !== undefined || branches.length === 0
    ? [node]
    : branches.flatMap((b) => objectShapes(b as never));
}

/** JSON Pointer of every property at any depth (`/password`, `/ssl/key`), through anyOf / oneOf / allOf. */
export function fieldPointers(schema: Record<string, unknown>, parent = ''): string[] {
  const pointers = new Set<string>();
  for (const shape of objectShapes(schema)) {
    for (const [name, property] of Object.entries(shape.properties ?? {})) {
      const pointer = `${parent}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      pointers.add(pointer);
      for (const inner of fieldPointers(property as Record<string, unknown>, pointer)) pointers.add(inner);
    }
  }
  return [...pointers];
}
