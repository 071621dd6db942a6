// The exported ONNX graph in the real runtime: for a table of architectures, tiny models are
// trained on ChnSentiCorp, exported, and run by onnxruntime-node on ChnSentiCorp test texts
// fed by `zhsenti encode`, in padded batches. Their probabilities must equal
// `zhsenti predict --precision fp32` within 1e-5 with the same labels, and a padded batch
// must give each text what it gets alone. Rows marked `quantize` also go through
// `zhsenti quantize`: the int8 model's graph (DequantizeLinear on int8 weights) must equal its
// `predict --precision fp32` within 1e-5 and give the labels of its default int8 run for at
// least 99.5 % of the texts.
//   node parity_test.js ZHSENTI_BIN     (data: $ZHSENTI_DATA or ../shared/data beside the repo)
'use strict';

const assert = require('assert');
const {execFileSync} = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const repo = path.resolve(__dirname, '..', '..');
const example = path.join(repo, 'examples', 'node');
if (!fs.existsSync(path.join(example, 'node_modules', 'onnxruntime-node'))) {
  console.error(`onnxruntime-node is not installed in ${example}: run scripts/install-deps.sh`);
  process.exit(1);
}
const {loadModel, predict} = require(path.join(example, 'zhsenti_onnx'));

const kTolerance = 1e-5;
const kInt8SameLabels = 0.995;
const kTexts = 300;
const kBatch = 64;

const small = ['--embed-dim', '16', '--hidden', '16'];
// name, train flags. The first is train's default architecture, as users get it.
const architectures = [
  ['default (char, bi-GRU, max, bigram table 100k)', [], {quantize: true}],
  ['word bi-LSTM x2 last', [...small, '--tokens', 'word', '--cell', 'lstm', '--layers', '2',
    '--pool', 'last', '--ngram-buckets', '0']],
  ['char uni-GRU mean trigrams', [...small, '--cell', 'gru', '--unidirectional', '--pool', 'mean',
    '--ngram-buckets', '997', '--ngram-order', '3']],
  ['char bi-RNN attention layer-norm', [...small, '--cell', 'rnn', '--pool', 'attention',
    '--norm', 'layer', '--ngram-buckets', '0']],
  ['word uni-LSTM x2 max batch-norm bigrams', [...small, '--tokens', 'word', '--cell', 'lstm',
    '--unidirectional', '--layers', '2', '--pool', 'max', '--norm', 'batch', '--ngram-buckets', '501']],
  ['char bi-GRU x2 last batch-norm trigrams', [...small, '--cell', 'gru', '--layers', '2',
    '--pool', 'last', '--norm', 'batch', '--ngram-buckets', '777', '--ngram-order', '3']],
  ['word uni-RNN x2 mean layer-norm', [...small, '--tokens', 'word', '--cell', 'rnn',
    '--unidirectional', '--layers', '2', '--pool', 'mean', '--norm', 'layer', '--ngram-buckets', '0']],
  ['char bi-LSTM attention bigrams max-len 40', [...small, '--cell', 'lstm', '--pool', 'attention',
    '--ngram-buckets', '300', '--max-len', '40'], {quantize: true}],
  ['word bi-GRU attention trigrams layer-norm', [...small, '--tokens', 'word', '--cell', 'gru',
    '--pool', 'attention', '--norm', 'layer', '--ngram-buckets', '400', '--ngram-order', '3']],
  // Its decision.json (zhsenti calibrate) must be part of the graph, as predict applies it.
  ['char bi-GRU mean with decision.json', [...small, '--pool', 'mean', '--ngram-buckets', '0'],
    {calibrate: true}],
  // Pruned: its matrices are stored sparse (model_format.md) and densified by the exporter.
  ['char bi-GRU max bigrams pruned to 70 %', [...small, '--ngram-buckets', '300'], {prune: '0.7'}],
];

function dataDir() {
  const dir = process.env.ZHSENTI_DATA || path.resolve(repo, '..', 'shared', 'data');
  const corpus = path.join(dir, 'chnsenticorp');
  if (!fs.existsSync(path.join(corpus, 'test.tsv'))) {
    console.error(`ChnSentiCorp not found under ${dir} (set ZHSENTI_DATA)`);
    process.exit(1);
  }
  return corpus;
}

function headLines(file, n) {
  return fs.readFileSync(file, 'utf8').split('\n').slice(0, n);
}

// stdout of a command that must succeed; its stderr is shown only when it fails.
function run(program, args) {
  try {
    return execFileSync(program, args, {maxBuffer: 1 << 28, encoding: 'utf8', stdio: 'pipe'});
  } catch (e) {
    throw new Error(`${path.basename(program)} ${args.join(' ')} failed:\n${e.stderr}`);
  }
}

const zhsenti = run;

// ONNX's own Python checker as a second opinion, with shape inference (full_check).
function pythonCheck(onnxFile) {
  run('/usr/bin/python3', ['-c',
    'import onnx, sys; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)', onnxFile]);
}

function maxAbsDiff(a, b) {
  let m = 0;
  a.forEach((row, i) => row.forEach((p, c) => { m = Math.max(m, Math.abs(p - b[i][c])); }));
  return m;
}

function argmax(row) {
  return row.indexOf(Math.max(...row));
}

async function checkArchitecture(bin, tmp, [name, flags, options = {}], files) {
  const started = Date.now();
  const trained = path.join(tmp, `m${architectures.findIndex((a) => a[0] === name)}`);
  zhsenti(bin, ['train', '--train', files.train, '--dev', files.dev, '--out', trained, '--epochs', '1',
    '--pretrain-epochs', '0', '--threads', '2', '--seed', '3', '-q', ...flags]);
  const dir = options.prune ? `${trained}_pruned` : trained;
  if (options.prune) {
    zhsenti(bin, ['prune', '--model', trained, '--sparsity', options.prune, '--train', files.train,
      '--dev', files.dev, '--out', dir, '--steps', '1', '--epochs', '1', '--threads', '2', '-q']);
  }
  if (options.calibrate) {
    zhsenti(bin, ['calibrate', '--model', dir, '--dev', files.dev, '--method', 'fit', '-q']);
    assert(fs.existsSync(path.join(dir, 'decision.json')), `${name}: calibrate wrote no decision.json`);
  }
  const onnxFile = path.join(tmp, `${path.basename(dir)}.onnx`);
  zhsenti(bin, ['export', 'onnx', '--model', dir, '--out', onnxFile, '-q']);
  pythonCheck(onnxFile);

  const encoded = zhsenti(bin, ['encode', '--model', dir, files.texts]).trim().split('\n').map(JSON.parse);
  assert.strictEqual(encoded.length, files.count, `${name}: encode printed ${encoded.length} lines`);
  const predicted = zhsenti(bin, ['predict', '--model', dir, '--json', '--precision', 'fp32',
    '--threads', '1', files.texts]).trim().split('\n').map(JSON.parse);
  assert.strictEqual(predicted.length, files.count, `${name}: predict printed ${predicted.length} lines`);

  const model = await loadModel(onnxFile);
  const expected = predicted.map((p) => model.labels.map((label) => p.probabilities[label]));
  if (options.calibrate) {
    // The row proves the rule is in the graph only if the rule moves the probabilities.
    const raw = zhsenti(bin, ['predict', '--model', dir, '--json', '--precision', 'fp32',
      '--no-decision-rule', files.texts]).trim().split('\n').map(JSON.parse)
      .map((p) => model.labels.map((label) => p.probabilities[label]));
    assert(maxAbsDiff(raw, expected) > 1e-3, `${name}: decision.json changes nothing`);
  }
  if (options.prune) {
    // A pruned model that answers every text alike would match its export trivially.
    const p0 = expected.map((row) => row[0]);
    assert(Math.max(...p0) - Math.min(...p0) > 1e-3, `${name}: the pruned model's outputs do not vary`);
  }
  const got = [];
  for (let i = 0; i < encoded.length; i += kBatch) got.push(...await predict(model, encoded.slice(i, i + kBatch)));
  const delta = maxAbsDiff(got, expected);
  const sameLabels = got.filter((row, i) => model.labels[argmax(row)] === predicted[i].label).length;

  // Padding: the longest texts alone against the same texts inside the padded batches.
  const longest = [...encoded.keys()].sort((a, b) => encoded[b].length - encoded[a].length).slice(0, 8);
  const alone = [];
  for (const i of longest) alone.push((await predict(model, [encoded[i]]))[0]);
  const paddingDelta = maxAbsDiff(alone, longest.map((i) => got[i]));
  const shortest = [...encoded.keys()].sort((a, b) => encoded[a].length - encoded[b].length).slice(0, 8);
  const shortAlone = [];
  for (const i of shortest) shortAlone.push((await predict(model, [encoded[i]]))[0]);
  const shortDelta = maxAbsDiff(shortAlone, shortest.map((i) => got[i]));

  let ok = delta <= kTolerance && sameLabels === files.count &&
    Math.max(paddingDelta, shortDelta) <= kTolerance;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}: max |dp| ${delta.toExponential(2)}, labels ` +
    `${sameLabels}/${files.count}, padded vs alone ${Math.max(paddingDelta, shortDelta).toExponential(2)}, ` +
    `${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (options.quantize) ok = await checkQuantized(bin, name, dir, onnxFile, encoded, files) && ok;
  return {ok, delta};
}

// The int8 model of `zhsenti quantize` in ONNX Runtime: the same inputs (quantising changes
// no vocabulary), a graph a fraction of the fp32 one's size.
async function checkQuantized(bin, name, dir, fp32Onnx, encoded, files) {
  const started = Date.now();
  const qdir = `${dir}-int8`;
  zhsenti(bin, ['quantize', '--model', dir, '--out', qdir, '-q']);
  const onnxFile = `${qdir}.onnx`;
  zhsenti(bin, ['export', 'onnx', '--model', qdir, '--out', onnxFile, '-q']);
  pythonCheck(onnxFile);
  const sizeRatio = fs.statSync(onnxFile).size / fs.statSync(fp32Onnx).size;
  const predictAs = (precision) => zhsenti(bin, ['predict', '--model', qdir, '--json', '--threads', '1',
    ...precision, files.texts]).trim().split('\n').map(JSON.parse);
  const int8 = predictAs([]);
  const fp32 = predictAs(['--precision', 'fp32']);
  const model = await loadModel(onnxFile);
  const expected = fp32.map((p) => model.labels.map((label) => p.probabilities[label]));
  const got = [];
  for (let i = 0; i < encoded.length; i += kBatch) got.push(...await predict(model, encoded.slice(i, i + kBatch)));
  const delta = maxAbsDiff(got, expected);
  const sameLabels = got.filter((row, i) => model.labels[argmax(row)] === int8[i].label).length;
  const ok = delta <= kTolerance && sameLabels >= kInt8SameLabels * files.count;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}, int8: max |dp| ${delta.toExponential(2)} against its ` +
    `fp32 predict, labels ${sameLabels}/${files.count} as its int8 predict, ONNX file ` +
    `${(100 * sizeRatio).toFixed(1)} % of fp32, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return ok;
}

async function main() {
  const bin = process.argv[2];
  if (!bin) {
    console.error('usage: node parity_test.js ZHSENTI_BIN');
    process.exit(2);
  }
  const corpus = dataDir();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zhsenti-onnx-'));
  try {
    const train = path.join(tmp, 'train.tsv');
    fs.writeFileSync(train, headLines(path.join(corpus, 'train.tsv'), 501).join('\n') + '\n');
    const dev = path.join(tmp, 'dev.tsv');
    fs.writeFileSync(dev, headLines(path.join(corpus, 'dev.tsv'), 101).join('\n') + '\n');
    // Texts without their labels, plus the edge cases: empty, spaces only, ASCII only.
    const texts = headLines(path.join(corpus, 'test.tsv'), kTexts + 1).slice(1)
      .map((row) => row.slice(row.indexOf('\t') + 1));
    texts.push('', '   ', 'OK!!!', '好');
    const textFile = path.join(tmp, 'texts.txt');
    fs.writeFileSync(textFile, texts.join('\n') + '\n');
    const files = {train, dev, texts: textFile, count: texts.length};

    let failures = 0;
    let worst = 0;
    for (const architecture of architectures) {
      const r = await checkArchitecture(bin, tmp, architecture, files);
      if (!r.ok) ++failures;
      worst = Math.max(worst, r.delta);
    }
    console.log(`${architectures.length} architectures, ${files.count} texts each, ` +
      `max |dp| ${worst.toExponential(2)}, ${failures} failed`);
    process.exitCode = failures === 0 ? 0 : 1;
  } finally {
    fs.rmSync(tmp, {recursive: true, force: true});
  }
}

main().catch((e) => {
  console.error(e.stack || e.message);
  process.exit(1);
});
