export default async function globalTeardown(): Promise<void> {
  if (process.env.EMBEDDED_TEST_POSTGRES === '1') {
    const { stopTestPostgres } = await import('./postgres-server');
    await stopTestPostgres();
  }
}
