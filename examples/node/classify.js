#!/usr/bin/env node
// Classifies texts with an exported zhsenti model in ONNX Runtime (see README.md):
//   zhsenti encode --model MODEL texts.txt | node classify.js model.onnx
// prints one JSON line per text: the label and the probability of every label.
'use strict';

const readline = require('readline');
const {loadModel, predict} = require('./zhsenti_onnx');

const kBatch = 64;

async function main() {
  if (process.argv.length !== 3) {
    console.error('usage: zhsenti encode --model MODEL [FILE] | node classify.js model.onnx');
    process.exit(2);
  }
  const model = await loadModel(process.argv[2]);
  let batch = [];
  const flush = async () => {
    const probs = await predict(model, batch);
    for (const p of probs) {
      const best = p.indexOf(Math.max(...p));
      const probabilities = Object.fromEntries(model.labels.map((label, c) => [label, p[c]]));
      process.stdout.write(JSON.stringify({label: model.labels[best], probabilities}) + '\n');
    }
    batch = [];
  };
  for await (const line of readline.createInterface({input: process.stdin})) {
    if (line.trim() === '') continue;
    batch.push(JSON.parse(line));
    if (batch.length === kBatch) await flush();
  }
  if (batch.length > 0) await flush();
}

main().catch((e) => {
  console.error(`classify.js: ${e.message}`);
  process.exit(1);
});
