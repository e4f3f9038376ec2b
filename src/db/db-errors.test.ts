import { describe, expect, it } from 'vitest';
import { isTransientDbError, mayHaveCommitted } from './db-errors.ts';

describe('isTransientDbError', () => {
  it('retries what the connection or a restart caused', () => {
    expect(isTransientDbError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isTransientDbError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isTransientDbError(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
    expect(isTransientDbError(Object.assign(new Error('the database system is starting up'), { code: '57P03' }))).toBe(true);
    expect(isTransientDbError(Object.assign(new Error('connection failure'), { code: '08006' }))).toBe(true);
  });

  it('does not retry what the statement itself caused', () => {
    expect(isTransientDbError(Object.assign(new Error('violates check constraint'), { code: '23514' }))).toBe(false);
    expect(isTransientDbError(Object.assign(new Error('invalid input syntax'), { code: '22P02' }))).toBe(false);
    expect(isTransientDbError(null)).toBe(false);
  });
});

describe('mayHaveCommitted', () => {
  it('is false only when no connection could be opened', () => {
    expect(mayHaveCommitted(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(false);
    expect(mayHaveCommitted(new Error('timeout exceeded when trying to connect'))).toBe(false);
    expect(mayHaveCommitted(Object.assign(new Error('the database system is shutting down'), { code: '57P03' }))).toBe(false);
    expect(mayHaveCommitted(new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })]))).toBe(false);
    expect(mayHaveCommitted(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(mayHaveCommitted(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
  });
});
