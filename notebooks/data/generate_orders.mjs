// Generates orders.csv, the small data set of feature_engineering.ipynb:
// 600 orders of 120 customers over the first half of 2026, with a few rows
// missing an amount (to be cleaned). Deterministic: the same file every run.
//   node notebooks/data/generate_orders.mjs
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** mulberry32: a small seeded generator, so the data never changes. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rnd = random(42);
const pick = list => list[Math.floor(rnd() * list.length)];
const regions = ['US', 'EU', 'APAC'];
const channels = ['web', 'app', 'store'];
const customers = Array.from({ length: 120 }, (_, i) => ({
  id: `C${String(i + 1).padStart(3, '0')}`,
  region: pick(regions),
  spendiness: 0.5 + rnd() * 2,
  channel: pick(channels)
}));

const start = Date.UTC(2026, 0, 1);
const day = 24 * 3600 * 1000;
const rows = ['order_id,customer_id,order_date,region,channel,amount,items,returned'];
for (let i = 1; i <= 600; i++) {
  const customer = customers[Math.floor(Math.pow(rnd(), 1.6) * customers.length)];
  const date = new Date(start + Math.floor(rnd() * 181) * day).toISOString().slice(0, 10);
  const items = 1 + Math.floor(rnd() * 5);
  const amount = (items * (8 + rnd() * 40) * customer.spendiness).toFixed(2);
  const missing = rnd() < 0.03;
  const channel = rnd() < 0.7 ? customer.channel : pick(channels);
  const returned = rnd() < 0.08 ? 1 : 0;
  rows.push([`O${String(i).padStart(4, '0')}`, customer.id, date, customer.region, channel, missing ? '' : amount, items, returned].join(','));
}
const target = join(dirname(fileURLToPath(import.meta.url)), 'orders.csv');
writeFileSync(target, rows.join('\n') + '\n');
console.log(`wrote ${rows.length - 1} orders to orders.csv`);
