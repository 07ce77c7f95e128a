import { compareTrends } from './compare';
import { comparisonCsv, csvDocument, csvField, trendsCsv } from './csv';

describe('CSV', () => {
  it.each([
    ['plain', 'plain'],
    ['with,comma', '"with,comma"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rhere', '"cr\rhere"'],
    ['=SUM(A1)', `"'=SUM(A1)"`],
    ['@cmd', `"'@cmd"`],
    ['-5', '-5'],
    ['', ''],
  ])('quotes %j as %j', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('writes numbers as they are and null as an empty field', () => {
    expect(csvField(0.25)).toBe('0.25');
    expect(csvField(-3)).toBe('-3');
    expect(csvField(null)).toBe('');
    expect(csvField(Number.NaN)).toBe('');
  });

  it('ends every line with CRLF, header first', () => {
    expect(csvDocument(['a', 'b'], [[1, 'x,y']])).toBe('a,b\r\n1,"x,y"\r\n');
  });

  it('renders trends as table,key,value', () => {
    expect(trendsCsv({ registered: 3, active: 2, cluster: ['transport'], byScope: { global: 2 }, themes: { primary: { water: 1 } } })).toBe(
      'table,key,value\r\nsummary,registered,3\r\nsummary,active,2\r\nbyScope,global,2\r\nthemes.primary,water,1\r\n',
    );
  });

  it('renders a comparison as table,key,<labels>,change,relativeChange', () => {
    const { rows } = compareTrends([{ registered: 200, byScope: { local: 0 } }, { registered: 250, byScope: { local: 5 } }]);
    expect(comparisonCsv(['CSD-16', 'CSD-18'], rows)).toBe(
      'table,key,CSD-16,CSD-18,change,relativeChange\r\nsummary,registered,200,250,50,0.25\r\nbyScope,local,0,5,5,\r\n',
    );
  });
});
