import { operationOf } from './db-metrics';

describe('operationOf (the operation label of a SQL statement)', () => {
  it('names the statement by its leading keyword, whatever the case and leading whitespace', () => {
    expect(operationOf('SELECT 1')).toBe('select');
    expect(operationOf('\n      insert into message (a) values ($1)')).toBe('insert');
    expect(operationOf('UPDATE "travel" SET x = 1')).toBe('update');
    expect(operationOf('DELETE FROM t')).toBe('delete');
    expect(operationOf('WITH x AS (SELECT 1) SELECT * FROM x')).toBe('with');
    expect(operationOf('START TRANSACTION')).toBe('transaction');
    expect(operationOf('COMMIT')).toBe('transaction');
    expect(operationOf('ROLLBACK TO SAVEPOINT typeorm_1')).toBe('transaction');
  });

  it('puts everything else in one bounded value', () => {
    for (const sql of ['', '   ', 'CREATE INDEX i ON t (a)', '(SELECT 1)', 'constructor', 'toString'])
      expect(operationOf(sql)).toBe('other');
  });
});
