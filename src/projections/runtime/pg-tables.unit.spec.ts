import { createIndexesSql, createTableSql, layoutHash, physicalName, publishViewSql } from './pg-tables';
import type { TableSpec } from './projection';

const table: TableSpec = {
  name: 'things',
  columns: [
    { name: 'id', type: 'text' },
    { name: 'note', type: 'text', nullable: true },
  ],
  primaryKey: ['id'],
  indexes: [{ suffix: 'note', definition: '(note)' }],
};

describe('physical tables of a generation', () => {
  it('carry the generation in their name; readers use a view of the stable name', () => {
    expect(physicalName(table, 3)).toBe('rm_things_g3');
    expect(createTableSql(table, 3)).toBe('CREATE TABLE rm_things_g3 (id text NOT NULL, note text, CONSTRAINT rm_things_g3_pk PRIMARY KEY (id))');
    expect(createIndexesSql(table, 3)).toEqual(['CREATE INDEX IF NOT EXISTS rm_things_g3_note ON rm_things_g3 (note)']);
    expect(publishViewSql(table, 3)).toEqual(['DROP VIEW IF EXISTS rm_things', 'CREATE VIEW rm_things AS SELECT * FROM rm_things_g3']);
  });

  it('refuses identifiers that are not plain lower-case names', () => {
    expect(() => physicalName({ ...table, name: 'x; DROP TABLE es_events' }, 1)).toThrow(/invalid read-model identifier/);
    expect(() => physicalName(table, 0)).toThrow(/invalid generation/);
  });

  it('identifies a layout by its tables: any change of a column is another layout', () => {
    expect(layoutHash([table])).toBe(layoutHash([{ ...table }]));
    expect(layoutHash([table])).not.toBe(layoutHash([{ ...table, columns: [...table.columns, { name: 'extra', type: 'integer' }] }]));
  });
});
