import { bulkBody, judgeBulk, type DocWrite } from './es-bulk';

const writes: DocWrite[] = ['a', 'b', 'c', 'd', 'e'].map((id, i) => ({ id, version: i + 1, doc: { id } }));

describe('bulk responses', () => {
  it('counts 2xx and 409 (the index holds a newer version) as done, retries 429 and 5xx, rejects the rest for good', () => {
    const verdict = judgeBulk(writes, [
      { status: 201 },
      { status: 409, error: { type: 'version_conflict_engine_exception' } },
      { status: 429, error: { type: 'es_rejected_execution_exception' } },
      { status: 503, error: { type: 'unavailable_shards_exception' } },
      { status: 400, error: { type: 'mapper_parsing_exception', reason: 'failed to parse field [revision]' } },
    ]);
    expect(verdict.done.map((w) => w.id)).toEqual(['a', 'b']);
    expect(verdict.retry.map((w) => w.id)).toEqual(['c', 'd']);
    expect(verdict.rejected).toEqual([{ write: writes[4], reason: '400 mapper_parsing_exception: failed to parse field [revision]' }]);
  });

  it('retries an item the response does not mention', () => {
    expect(judgeBulk(writes.slice(0, 2), [{ status: 200 }]).retry.map((w) => w.id)).toEqual(['b']);
  });

  it('writes with the stream revision as external version', () => {
    expect(bulkBody('ventures_g1', [{ id: 'a', version: 7, doc: { id: 'a' } }, { id: 'b', version: 2, doc: undefined }])).toEqual([
      { index: { _index: 'ventures_g1', _id: 'a', version: 7, version_type: 'external' } },
      { id: 'a' },
      { delete: { _index: 'ventures_g1', _id: 'b', version: 2, version_type: 'external' } },
    ]);
  });
});
