/**
 * The fallback server for machines without a local MariaDB: a container started through
 * testcontainers, only where a Docker engine answers. The image defaults to the MariaDB the
 * suites are written against; OSIRIS_TEST_MYSQL_IMAGE=mysql:8.4 picks MySQL instead.
 */
const ROOT_PASSWORD = 'osiris-test';

/** Starts a server container and returns its root URL, or undefined when no container runtime answers. */
export async function startMysqlContainer(): Promise<string | undefined> {
  const { GenericContainer, getContainerRuntimeClient } = await import('testcontainers');
  try {
    await getContainerRuntimeClient();
  } catch {
    return undefined;
  }
  const container = await new GenericContainer(process.env.OSIRIS_TEST_MYSQL_IMAGE ?? 'mariadb:10.11')
    .withEnvironment({ MYSQL_ROOT_PASSWORD: ROOT_PASSWORD })
    .withExposedPorts(3306)
    .start();
  // testcontainers' reaper removes the container when this process ends.
  return `mysql://root:${ROOT_PASSWORD}@${container.getHost()}:${container.getMappedPort(3306)}`;
}
