// Regenerates test/fixtures/protocol from the peer cases: requests as the peer libraries frame them,
// responses as Brook encodes them (the peer tests check that the peers parse those). Run it with
// `npx node test/protocol/make-fixtures.ts`; the tests only read the committed files.
import { readFileSync } from 'node:fs';
import { ALL_APIS } from '../../src/protocol/apis/index.ts';
import { frame } from '../../src/protocol/framing.ts';
import { encodeRequest, encodeResponse } from '../../src/protocol/headers.ts';
import { requestCases, responseCases } from './cases/index.ts';
import { noPeerCases } from './cases/no-peer.ts';
import { fixtureName, writeFixture } from './fixture-files.ts';
import { CLIENT_ID } from './peers.ts';

const versionOf = (pkg: string): string =>
  JSON.parse(readFileSync(new URL(`../../node_modules/${pkg}/package.json`, import.meta.url), 'utf8')).version;
const peerVersion = {
  kafkajs: `kafkajs ${versionOf('kafkajs')}`,
  platformatic: `@platformatic/kafka ${versionOf('@platformatic/kafka')}`,
};

let written = 0;
for (const api of ALL_APIS) {
  for (let v = api.minVersion; v <= api.maxVersion; v++) {
    // Distinct correlation ids, so that a mix-up between fixtures shows.
    const correlationId = api.key * 100 + v;
    const title = `${api.name} v${v}`;
    const reqCase =
      requestCases.find((c) => c.api === api && c.version === v && c.peer === 'platformatic') ??
      requestCases.find((c) => c.api === api && c.version === v);
    const resCase = responseCases.find((c) => c.api === api && c.version === v);
    const noPeer = noPeerCases.find((c) => c.api === api && c.version === v);

    if (reqCase) {
      const sent = await reqCase.build(correlationId);
      writeFixture(fixtureName(api, v, 'request'), [`${title} request frame, as ${peerVersion[reqCase.peer]} writes it.`], sent.frame);
    } else if (noPeer) {
      const body = encodeRequest(api, { apiKey: api.key, apiVersion: v, correlationId, clientId: CLIENT_ID }, noPeer.request);
      writeFixture(
        fixtureName(api, v, 'request'),
        [
          `${title} request frame, encoded by Brook: no peer library speaks this version.`,
          'The body is checked against hand-assembled bytes in no-peer.test.ts.',
        ],
        Buffer.concat(frame([body])),
      );
    } else throw new Error(`no request for ${title}`);

    const value = resCase?.value ?? noPeer?.response;
    if (!value) throw new Error(`no response for ${title}`);
    const source = resCase
      ? `parsed by ${peerVersion[resCase.peer]} in peer-responses.test.ts.`
      : 'checked against hand-assembled bytes in no-peer.test.ts.';
    writeFixture(
      fixtureName(api, v, 'response'),
      [`${title} response frame, encoded by Brook and ${source}`],
      Buffer.concat(frame(encodeResponse(api, v, correlationId, value))),
    );
    written += 2;
  }
}
console.log(`wrote ${written} fixtures`);
