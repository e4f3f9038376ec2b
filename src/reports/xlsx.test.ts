// The workbook opens in an independent reader (exceljs) with the cells we wrote.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { spreadsheetValue, toXlsx } from './xlsx.ts';

describe('toXlsx', () => {
  it('writes sheets that a spreadsheet library reads back cell for cell', async () => {
    const buffer = toXlsx([
      { name: 'Teams', header: ['Team', 'Spent (USD)', 'Spent (nanos)'], rows: [['Engineering & <R&D>', 1890.25, '1890250000000'], ['Support', 0.1, '100000000']], moneyColumns: [1] },
      { name: 'A/B: odd*name?', header: ['x'], rows: [['=SUM(A1)'], [null], ['last']] },
    ]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(buffer as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(['Teams', 'A B  odd name']);
    const teams = book.getWorksheet('Teams')!;
    expect(teams.getRow(1).values).toEqual([undefined, 'Team', 'Spent (USD)', 'Spent (nanos)']);
    expect(teams.getCell('A2').value).toBe('Engineering & <R&D>');
    expect(teams.getCell('B2').value).toBe(1890.25);
    expect(teams.getCell('B2').numFmt).toBe('#,##0.00');
    expect(teams.getCell('C2').value).toBe('1890250000000');
    expect(teams.getCell('A1').font?.bold).toBe(true);
    const odd = book.worksheets[1]!;
    expect(odd.getCell('A2').value).toBe('=SUM(A1)'); // text, never a formula
    expect(odd.getCell('A4').value).toBe('last');
  });

  it('is byte-identical for the same input', () => {
    const sheet = { name: 'S', header: ['a'], rows: [['1']] };
    expect(toXlsx([sheet]).equals(toXlsx([sheet]))).toBe(true);
  });

  it('keeps ids with leading zeros and long numbers as text', () => {
    expect(spreadsheetValue('12.30')).toBe(12.3);
    expect(spreadsheetValue('-5')).toBe(-5);
    expect(spreadsheetValue('0100')).toBe('0100');
    expect(spreadsheetValue('1234567890123456789')).toBe('1234567890123456789');
    expect(spreadsheetValue('2026-03-01')).toBe('2026-03-01');
  });
});
