/**
 * Integration tests need a real PostgreSQL: DATABASE_URL when set (CI points it at the machine's server),
 * otherwise an embedded server started here for the run.
 */
export default async function globalSetup(): Promise<void> {
  if (!process.env.DATABASE_URL) {
    const { startTestPostgres } = await import('./postgres-server');
    const url = await startTestPostgres();
    process.env.DATABASE_URL = url;
    process.env.EMBEDDED_TEST_POSTGRES = "1";
    console.log(`\n[test] DATABASE_URL unset: started an embedded PostgreSQL at ${url}`);
  }
}
