'use strict';
/** Collects bench figures, prints them as a table and writes bench/results.json. */
const fs = require('node:fs');
const path = require('node:path');

class Figures {
  constructor() {
    this.rows = [];
  }

  /** `target` is a string such as ">= 5000" or "<= 50", or null when the issue sets none. */
  add(name, value, unit, target = null) {
    this.rows.push({ name, value: Math.round(value * 100) / 100, unit, target });
  }

  met(row) {
    if (!row.target) return '';
    const [, op, bound] = row.target.match(/^(>=|<=)\s*([\d.]+)$/) ?? [];
    if (!op) return '';
    return (op === '>=' ? row.value >= Number(bound) : row.value <= Number(bound)) ? 'yes' : 'NO';
  }

  print() {
    const header = ['figure', 'value', 'unit', 'target', 'met'];
    const lines = this.rows.map((r) => [r.name, String(r.value), r.unit, r.target ?? '', this.met(r)]);
    const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
    const format = (cells) => cells.map((c, i) => (i === 1 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
    console.log(`\n${format(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
    for (const line of lines) console.log(format(line));
  }

  write(file = path.join(__dirname, '..', 'results.json')) {
    fs.writeFileSync(file, `${JSON.stringify(this.rows, null, 2)}\n`);
    console.log(`\nwrote ${path.relative(process.cwd(), file)}`);
  }
}

module.exports = { Figures };
