import { runCli } from '../main';

async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, env);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('the CLI without a database', () => {
  it('prints its command table on --help and exits 0; with no command it exits 2', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/projections\s+list, status, rebuild/);
    expect((await run([])).code).toBe(2);
  });

  it('exits 2 with the usage for an unknown command, subcommand or option', async () => {
    expect(await run(['frobnicate'])).toMatchObject({ code: 2, err: expect.stringMatching(/unknown command "frobnicate"/) });
    expect(await run(['projections', 'list', '--verbose'], { DATABASE_URL: 'postgres://x@127.0.0.1:1/x' })).toMatchObject({ code: 2, err: expect.stringMatching(/--verbose/) });
  });

  it('exits 2 when DATABASE_URL is not set, saying so', async () => {
    expect(await run(['projections', 'list'])).toMatchObject({ code: 2, err: expect.stringMatching(/DATABASE_URL is not set/) });
  });

  it('prints the projections usage on projections --help', async () => {
    const help = await run(['projections', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/dead-letters NAME retry ID/);
  });
});
