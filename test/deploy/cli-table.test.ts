// The command-line check the other deploy tests rely on: it finds the commands of src/cli/main.ts
// and refuses unknown commands, flags and subcommands, as `brook` itself would.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { brookCommands, parseBrookCommandLine, subcommandsOf } from './cli-table.ts';

describe('parseBrookCommandLine', () => {
  test("knows main.ts's command table", async () => {
    const names = [...(await brookCommands()).keys()];
    for (const n of ['up', 'process', 'generate', 'topics', 'schemas', 'opensearch']) assert.ok(names.includes(n), n);
  });

  test('reads the subcommands from each usage', async () => {
    const commands = await brookCommands();
    assert.deepEqual(subcommandsOf(commands.get('topics')!), ['list', 'describe', 'create', 'delete', 'alter-config']);
    assert.deepEqual(subcommandsOf(commands.get('config')!), ['print', 'check', 'schema']);
    assert.deepEqual(subcommandsOf(commands.get('opensearch')!), ['setup']);
    assert.equal(subcommandsOf(commands.get('consume')!), null);
  });

  test('accepts valid lines, positionals included', async () => {
    assert.equal((await parseBrookCommandLine(['consume', 'clickstream', '--count', '5'])).positionals[0], 'clickstream');
    assert.equal((await parseBrookCommandLine(['opensearch', 'setup', '--url', 'http://os:9200'])).values.url, 'http://os:9200');
    assert.equal((await parseBrookCommandLine(['generate', '-nt', '4', '-iam', '--iam-region', 'us-east-1'])).values.numThreads, '4');
  });

  test('refuses an unknown command, flag or subcommand', async () => {
    await assert.rejects(parseBrookCommandLine(['deploy']), /no command 'deploy'/);
    await assert.rejects(parseBrookCommandLine(['up', '--no-such-flag']), /no-such-flag/);
    await assert.rejects(parseBrookCommandLine(['topics', 'creat', 'x']), /no subcommand 'creat'/);
    await assert.rejects(parseBrookCommandLine(['opensearch', 'teardown']), /no subcommand 'teardown'/);
  });
});
