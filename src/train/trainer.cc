#include "zhsenti/train/trainer.h"

#include <fmt/format.h>

#include <array>
#include <chrono>
#include <cmath>
#include <optional>

#include "base_model.h"
#include "checkpoint.h"
#include "label_priors.h"
#include "model_export.h"
#include "oversample.h"
#include "prepared_data.h"
#include "pretrained.h"
#include "replica_sync.h"
#include "self_pretrain.h"
#include "skew_defaults.h"
#include "zhsenti/core/check.h"
#include "zhsenti/core/error.h"
#include "zhsenti/core/log.h"
#include "zhsenti/core/progress.h"
#include "zhsenti/core/staging_dir.h"
#include "zhsenti/dist/comm.h"
#include "zhsenti/dist/same_settings.h"
#include "zhsenti/modelfile/model_out.h"
#include "zhsenti/nn/loss/cross_entropy.h"
#include "zhsenti/nn/optim/lr_schedule.h"
#include "zhsenti/nn/optim/optimizer.h"
#include "zhsenti/nn/optim/weight_average.h"
#include "zhsenti/nn/prune/weight_mask.h"
#include "zhsenti/nn/threads.h"
#include "zhsenti/predict/batch_predict.h"
#include "zhsenti/predict/decision_rule.h"
#include "zhsenti/predict/reference.h"
#include "zhsenti/vocab/batcher.h"

namespace zhsenti::train {
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

// Streams derived from the seed: fork indices of the run's root generator.
constexpr std::uint64_t kShuffleStream = 1'000;
constexpr std::uint64_t kDropoutStream = 2'000'000;
constexpr std::uint64_t kOversampleStream = 3'000'000;
// Under MPI the replicas' weights are compared every this many steps (and after each epoch).
constexpr std::int64_t kChecksumEvery = 100;

// The architecture is the config's own; only the sizes the data decides are added here.
nn::ClassifierConfig model_config(const TrainConfig& c, std::size_t vocab_size,
                                  std::size_t classes) {
  nn::ClassifierConfig m = c.model;
  m.vocab_size = static_cast<int>(vocab_size);
  m.num_classes = static_cast<int>(classes);
  return m;
}

// Updates are element-wise, so spreading them over the training pool keeps results identical.
std::unique_ptr<nn::Optimizer> make_optimizer(const TrainConfig& c, const nn::ParamStore& params,
                                              ThreadPool* pool) {
  std::unique_ptr<nn::Optimizer> optimizer;
  if (c.optimizer == "sgd") {
    nn::SgdOptions o;
    o.lr = c.lr;
    o.momentum = 0.9f;
    o.weight_decay = c.weight_decay;
    optimizer = std::make_unique<nn::Sgd>(params, o);
  } else {
    nn::AdamOptions o;
    o.lr = c.lr;
    o.weight_decay = c.weight_decay;
    o.decoupled = c.optimizer == "adamw";
    optimizer = std::make_unique<nn::Adam>(params, o);
  }
  optimizer->set_pool(pool);
  return optimizer;
}

double metric_value(const TrainConfig& c, const eval::EpochRecord& r) {
  return c.metric == "macro_f1" ? r.dev_macro_f1.value_or(0) : r.dev_accuracy.value_or(0);
}

struct DevResult {
  eval::Metrics metrics;
  double loss = 0;
  std::vector<float> probabilities;
};

// This rank's contiguous part of the dev set (all of it in one process): ranks score their
// parts and gather the probabilities in rank order, which is the dev set's order.
vocab::EncodedCorpus dev_part(const vocab::EncodedCorpus& dev) {
  const std::size_t n = dev.size(), ranks = static_cast<std::size_t>(dist::size());
  const auto r = static_cast<std::size_t>(dist::rank());
  vocab::EncodedCorpus part;
  for (std::size_t i = n * r / ranks; i < n * (r + 1) / ranks; ++i) part.push_back(dev.sequence(i));
  return part;
}

// Dev batches no larger than training ones: a forward pass then never needs more workspace
// than a training step, so evaluation adds nothing to the peak memory of training.
DevResult evaluate_dev(const nn::Classifier& model, const PreparedData& data,
                       const vocab::EncodedCorpus& part, std::size_t batch_size,
                       nn::Workspace& ws) {
  DevResult r;
  const int classes = model.config().num_classes;
  std::vector<float> mine(part.size() * static_cast<std::size_t>(classes));
  predict::predict_corpus(model, part, ws, batch_size, mine);
  if (dist::distributed()) {
    for (const auto& bytes : dist::allgather(std::string_view(
             reinterpret_cast<const char*>(mine.data()), mine.size() * sizeof(float)))) {
      const auto* f = reinterpret_cast<const float*>(bytes.data());
      r.probabilities.insert(r.probabilities.end(), f, f + bytes.size() / sizeof(float));
    }
  } else {
    r.probabilities = std::move(mine);
  }
  const auto predicted = predict::argmax_rows(r.probabilities, classes);
  r.metrics = eval::compute_metrics(data.dev.labels, predicted, r.probabilities, data.labels);
  double nll = 0;
  for (std::size_t i = 0; i < data.dev.size(); ++i) {
    const float p = r.probabilities[i * static_cast<std::size_t>(classes) +
                                    static_cast<std::size_t>(data.dev.labels[i])];
    nll -= std::log(std::max(p, 1e-12f));
  }
  r.loss = data.dev.size() ? nll / static_cast<double>(data.dev.size()) : 0.0;
  return r;
}

// --calibrate: what `zhsenti calibrate --method fit --metric macro_f1` would store, kept only
// when it raises dev macro-F1.
std::optional<predict::DecisionRule> calibrate_on_dev(const DevResult& dev,
                                                      const PreparedData& data) {
  predict::DecisionFit fit = predict::fit_decision_rule(
      dev.probabilities, data.dev.labels, static_cast<int>(data.labels.size()),
      predict::DecisionMethod::kFit, predict::DecisionMetric::kMacroF1);
  if (!(fit.after > fit.before)) {
    log::info("calibrate: no decision rule raises dev macro-F1 ({:.4f}); none stored",
              fit.before);
    return std::nullopt;
  }
  fit.rule.info["data"] = data.dev_source;
  log::info("calibrate: decision rule stored with the model, dev macro-F1 {:.4f} -> {:.4f}",
            fit.before, fit.after);
  return std::move(fit.rule);
}

// Every rank must run the same training: the same settings, output and options.
void check_same_run(const TrainConfig& config, const fs::path& out, const TrainOptions& options) {
  json run = config.to_json();
  run["out"] = out.string();
  run["resume"] = options.resume;
  run["keep_checkpoint"] = options.keep_checkpoint;
  run["stop_after_epoch"] = options.stop_after_epoch;
  dist::check_same_settings(run);
}

// The parts of a global batch this rank holds, as indices into its own rows.
void local_rows(const TrainLayout& layout, std::span<const std::size_t> global,
                std::vector<std::size_t>& mine) {
  mine.clear();
  const int rank = dist::rank();
  for (const std::size_t g : global) {
    if (layout.owner[g] == rank) mine.push_back(layout.local[g]);
  }
}

// The loss's divisor (cross_entropy.h): the number of rows, or their summed class weights.
double labels_weight(std::span<const std::int32_t> labels, std::span<const float> class_weights) {
  if (class_weights.empty()) return static_cast<double>(labels.size());
  double w = 0;
  for (const std::int32_t l : labels) w += class_weights[static_cast<std::size_t>(l)];
  return w;
}

// The same over a whole global batch, in its order (so that in one process it equals the
// local sum exactly).
double batch_weight(const TrainLayout& layout, std::span<const std::size_t> global,
                    std::span<const float> class_weights) {
  if (class_weights.empty()) return static_cast<double>(global.size());
  double w = 0;
  for (const std::size_t g : global) w += class_weights[static_cast<std::size_t>(layout.labels[g])];
  return w;
}

}  // namespace

fs::path checkpoint_dir(const fs::path& out) {
  fs::path p = out;
  if (p.filename().empty()) p = p.parent_path();
  p += ".ckpt";
  return p;
}

json TrainSummary::to_json() const {
  json j{{"out", out.string()},
         {"epochs_run", epochs_run},
         {"best_epoch", best_epoch},
         {"best_score", best_score},
         {"dev", dev_metrics.to_json()},
         {"seconds_per_epoch", seconds_per_epoch},
         {"train_tokens_per_s", train_tokens_per_s},
         {"train_rows", train_rows},
         {"dev_rows", dev_rows},
         {"vocab_size", vocab_size},
         {"dev_oov_rate", dev_oov_rate}};
  if (!pretrained.is_null()) j["pretrained"] = pretrained;
  return j;
}

TrainSummary train_model(const TrainConfig& requested, const fs::path& out,
                         const TrainOptions& options) {
  requested.validate();
  check_same_run(requested, out, options);
  // The skew rule may change settings once the labels are known (train/skew_defaults.h).
  TrainConfig config = requested;
  // Rank 0 alone writes (the model, checkpoints). Before anything is read or written, so that
  // a refused --out leaves every file as it was.
  const bool writer = dist::rank() == 0;
  if (writer) {
    modelfile::check_model_out(out);
    check_checkpoint_out(checkpoint_dir(out));
    remove_stale_staging(out);
    remove_stale_staging(checkpoint_dir(out));
  }
  dist::barrier();
  const int threads = config.threads > 0 ? config.threads : nn::default_threads();
  nn::set_threads(threads);
  std::optional<BaseModel> base;
  if (!config.init_model.empty()) base = load_base_model(config.init_model);
  PreparedData data = prepare_data(config, options.show_progress, base ? &*base : nullptr);
  ZHSENTI_CHECK_ARG(data.layout.size() > 0, "{}: no training rows", config.train_path);
  ZHSENTI_CHECK_ARG(data.dev.size() > 0, "the dev set is empty");
  // Before oversampling: the vectors see each training text once.
  const auto train_tokens = static_cast<std::size_t>(data.layout.tokens);
  const bool pretrain = self_pretraining(config, train_tokens);
  if (!pretrain && self_pretraining_asked(config)) {
    log::info("no pre-training: {} training tokens, fewer than {} (give --unlabelled texts)",
              train_tokens, kMinPretrainTokens);
  }
  if (dist::distributed() && ((pretrain && !options.resume) || config.oversample)) {
    throw Error(ErrorCode::kInvalidArgument,
                fmt::format("{} does not run over MPI ranks yet: {}", 
                            config.oversample ? "--oversample" : "pre-training the embeddings",
                            config.oversample
                                ? "use --class-weights auto instead"
                                : "give --pretrained vectors (`zhsenti embed train`) or "
                                  "--pretrain-epochs 0"));
  }
  std::optional<embed::WordVectors> own_vectors;
  SelfPretrainStats pretrain_stats;
  if (pretrain && !options.resume) {
    own_vectors = self_pretrain(config, data, options.show_progress, pretrain_stats);
  }
  const std::size_t classes = data.labels.size();
  if (const auto skewed = apply_skew_defaults(config, data.layout.labels, data.labels)) {
    log::info("{}", *skewed);
  }
  if (config.oversample) {
    Rng rng = Rng(config.seed).fork(kOversampleStream);
    const std::size_t added = oversample(data.train, classes, rng);
    log::info("oversampling: {} training rows drawn again from the smaller classes ({} in all)",
              added, data.train.size());
    data.layout = local_layout(data.train);
  }

  const nn::ClassifierConfig arch =
      base ? finetune_architecture(*base, config, data.vocab.size(), classes)
           : model_config(config, data.vocab.size(), classes);
  nn::Classifier model(arch, config.seed);
  nn::Classifier best(arch, config.seed);
  // --ema-decay: the average is what dev scores and what the model keeps.
  std::optional<nn::Classifier> average;
  if (config.ema_decay > 0) average.emplace(arch, config.seed);
  const nn::ParamStore::Id embedding = model.params().id("embedding.weight");
  // --freeze-embeddings holds every table a vector file can fill: the tokens' and the hashed
  // bigrams' (-1 when the model has none).
  const nn::ParamStore::Id bigram_embedding = model.params().find("ngram_embedding.weight");
  if (base && !options.resume) {
    const std::size_t copied = transfer_weights(base->model, model, !config.new_labels);
    log::info("fine-tuning {}: {} tensors copied{}", base->path.string(), copied,
              config.new_labels ? ", new output layer" : "");
  }
  if (config.freeze_encoder) freeze_encoder(model.params());
  std::optional<PretrainedReport> pretrained;
  if ((!config.pretrained.empty() || own_vectors) && !options.resume) {
    PretrainedTargets targets;
    targets.embedding = model.params().value(embedding);
    if (arch.ngram_buckets > 0) {
      targets.bigrams = model.params().value(bigram_embedding);
      targets.buckets = arch.ngram_buckets;
    }
    targets.dim = arch.embed_dim;
    targets.rescale = config.pretrained_rescale;
    pretrained = own_vectors ? load_pretrained(*own_vectors, data.vocab, targets)
                             : load_pretrained(config.pretrained, data.vocab, targets);
    log::info(
        "{} vectors: {} of {} vocabulary rows found ({:.1f}%), {:.1f}% of training tokens, {} "
        "bigram rows; the other rows keep the random initialisation",
        own_vectors ? "pre-trained" : config.pretrained, pretrained->found, pretrained->rows,
        100 * pretrained->row_coverage(), 100 * pretrained->token_coverage(),
        pretrained->bigram_rows);
  }
  // --freeze-embeddings holds embeddings that start from vectors; random ones always train.
  const bool freeze = config.freeze_embeddings && (!config.pretrained.empty() || pretrain);
  ZHSENTI_CHECK_ARG(!(options.mask && options.resume), "a pruning run cannot be resumed");
  if (options.mask) options.mask->apply_values(model.params());
  nn::Workspace ws(threads);
  const auto new_optimizer = [&] {
    auto o = make_optimizer(config, model.params(), ws.pool());
    if (options.mask) {
      for (auto& [name, buffer] : o->state()) options.mask->mask_state(buffer);
    }
    return o;
  };
  auto optimizer = new_optimizer();

  vocab::BatcherOptions batching;
  batching.batch_size = static_cast<std::size_t>(config.batch_size);
  // Every rank plans the same global batches from all rows' lengths and fills its own rows.
  vocab::ShuffledPlan plan(data.layout.lengths, batching);
  vocab::BatchBuffer batch_rows(data.train.corpus, data.train.labels);
  const auto steps_per_epoch = static_cast<std::int64_t>(plan.num_batches());
  const vocab::EncodedCorpus dev_rows = dev_part(data.dev.corpus);

  nn::LrScheduleOptions sched;
  sched.kind = config.schedule == "plateau" ? "constant" : config.schedule;
  sched.warmup_steps = static_cast<std::int64_t>(config.warmup * steps_per_epoch * config.epochs);
  sched.total_steps =
      std::max<std::int64_t>(1, steps_per_epoch * config.epochs - sched.warmup_steps);
  sched.step_size = std::max<std::int64_t>(1, steps_per_epoch * 3);
  sched.gamma = 0.5f;
  const nn::LrSchedule schedule(config.lr, sched);
  std::optional<nn::ReduceOnPlateau> plateau;
  if (config.schedule == "plateau") {
    nn::PlateauOptions p;
    p.maximize = true;
    p.factor = 0.5f;
    p.patience = 1;
    plateau.emplace(config.lr, p);
  }

  std::vector<float> class_weights;
  if (config.class_weights == "auto")
    class_weights = auto_class_weights(data.layout.labels, classes);
  const std::vector<float> logit_offsets =
      config.logit_adjust > 0 ? prior_logit_offsets(data.layout.labels, classes, config.logit_adjust)
                              : std::vector<float>{};
  nn::CrossEntropyOptions loss_options;
  loss_options.class_weights = class_weights;
  loss_options.logit_offsets = logit_offsets;
  loss_options.label_smoothing = config.label_smoothing;
  loss_options.focal_gamma = config.focal_gamma;

  const fs::path ckpt = checkpoint_dir(out);
  CheckpointState state;
  state.config = config.to_json();
  state.vocab_size = data.vocab.size();
  if (options.resume) {
    state = load_checkpoint(ckpt, config.to_json(), model.params(), best.params(), *optimizer,
                            average ? &average->params() : nullptr);
    ZHSENTI_CHECK_ARG(state.vocab_size == data.vocab.size(),
                      "{}: checkpoint vocabulary has {} entries, the data gives {}", ckpt.string(),
                      state.vocab_size, data.vocab.size());
    log::info("resuming after epoch {} (step {})", state.epoch, state.step);
  } else {
    best.params().copy_values_from(model.params());
    if (average) average->params().copy_values_from(model.params());
  }

  // Early stopping and plateau state replayed from the history (so resume needs no more).
  int best_epoch = 0;
  double best_score = -1;
  float plateau_lr = config.lr;
  for (const auto& r : state.history) {
    const double score = metric_value(config, r);
    if (score > best_score) best_score = score, best_epoch = r.epoch;
    if (plateau) plateau_lr = plateau->step(score);
  }

  const Rng root(config.seed);
  nn::Tensor dlogits;
  int epoch = state.epoch;
  const int last_epoch = options.stop_after_epoch > 0
                             ? std::min(options.stop_after_epoch, config.epochs)
                             : config.epochs;
  while (epoch < last_epoch) {
    if (config.early_stopping > 0 && best_epoch > 0 &&
        epoch - best_epoch >= config.early_stopping) {
      log::info("early stopping: no {} improvement for {} epochs", config.metric,
                config.early_stopping);
      break;
    }
    ++epoch;
    // Frozen: the optimiser skips the embedding and backward() does not compute its gradient.
    const bool frozen = freeze && (config.unfreeze_after == 0 || epoch <= config.unfreeze_after);
    model.params().set_trainable(embedding, !frozen);
    if (bigram_embedding >= 0) model.params().set_trainable(bigram_embedding, !frozen);
    if (freeze && config.unfreeze_after > 0 && epoch == config.unfreeze_after + 1) {
      // A fresh optimiser: the embedding's Adam moments would otherwise start at zero under
      // the bias correction of a late step, scaling its first updates up several times.
      optimizer = new_optimizer();
      log::info("epoch {}: embedding unfrozen, optimiser state restarted", epoch);
    }
    Rng shuffle_rng = root.fork(kShuffleStream + static_cast<std::uint64_t>(epoch));
    Rng dropout_rng = root.fork(kDropoutStream + static_cast<std::uint64_t>(epoch));
    // Ranks draw their own dropout masks (not one process's masks: those are drawn over a
    // whole batch's layout), so only runs without dropout equal a single process bit for bit.
    if (dist::distributed()) dropout_rng = dropout_rng.fork(static_cast<std::uint64_t>(dist::rank()));
    plan.start_epoch(shuffle_rng);
    // Callers that show progress their own way (the Python package's tqdm bar or callback)
    // turn the bar off.
    std::optional<Progress> progress;
    if (options.show_progress) {
      progress.emplace(fmt::format("epoch {}/{}", epoch, config.epochs), plan.num_batches(),
                       "batches");
    }
    const auto t0 = std::chrono::steady_clock::now();
    dist::take_comm_seconds();
    dist::take_comm_bytes();
    double loss_sum = 0;
    double correct = 0;
    std::size_t seen = 0, tokens = 0;
    std::span<const std::size_t> global_rows;
    std::vector<std::size_t> my_rows;
    std::size_t batches_done = 0;
    while (plan.next(global_rows)) {
      const float lr = plateau ? plateau_lr : schedule.lr_at(state.step);
      optimizer->set_lr(lr);
      model.params().zero_grad();
      local_rows(data.layout, global_rows, my_rows);
      if (!my_rows.empty()) {
        const vocab::Batch batch = batch_rows.fill(my_rows);
        const nn::Batch nb{batch.ids, batch.lengths};
        const nn::Tensor& logits = model.forward(nb, ws, true, &dropout_rng);
        dlogits.resize({static_cast<std::int64_t>(batch.size()), static_cast<std::int64_t>(classes)});
        const double loss = nn::cross_entropy(logits.span(), batch.labels,
                                              static_cast<int>(classes), loss_options,
                                              dlogits.span());
        for (std::size_t b = 0; b < batch.size(); ++b) {
          const float* row = logits.data() + b * classes;
          correct += (std::max_element(row, row + classes) - row) == batch.labels[b];
        }
        // The loss is a mean over the global batch: this rank's rows weigh their share of it
        // (exactly 1 in one process).
        const double share = labels_weight(batch.labels, class_weights) /
                             batch_weight(data.layout, global_rows, class_weights);
        if (share != 1.0) {
          for (float& g : dlogits.span()) g *= static_cast<float>(share);
        }
        model.backward(nb, dlogits, ws);
        loss_sum += loss * share * static_cast<double>(global_rows.size());
        tokens += batch.num_tokens();
      }
      allreduce_gradients(model.params());
      if (options.mask) options.mask->mask_grads(model.params());
      if (config.clip > 0) nn::clip_grad_norm(model.params(), config.clip);
      optimizer->step(model.params());
      if (average) {
        nn::update_average(average->params(), model.params(), config.ema_decay, state.step,
                           ws.pool());
      }
      ++state.step;
      seen += global_rows.size();
      if (state.step % kChecksumEvery == 0) check_replicas_agree(model.params(), state.step);
      if (progress) {
        progress->set_status(fmt::format("loss {:.4f} acc {:.4f}",
                                         loss_sum / static_cast<double>(seen),
                                         correct / static_cast<double>(seen)));
        progress->advance();
      }
      if (options.on_progress) {
        TrainProgress p;
        p.epoch = epoch;
        p.epochs = config.epochs;
        p.batch = ++batches_done;
        p.batches = plan.num_batches();
        p.train_loss = loss_sum / static_cast<double>(seen);
        p.train_accuracy = correct / static_cast<double>(seen);
        options.on_progress(p);
      }
    }
    if (progress) progress->finish();
    // The epoch's totals over all ranks (the status line above showed this rank's share).
    const double comm_seconds = dist::take_comm_seconds();
    const std::int64_t comm_bytes = dist::take_comm_bytes();
    std::array<double, 3> totals{loss_sum, correct, static_cast<double>(tokens)};
    dist::allreduce_sum(std::span(totals));
    loss_sum = totals[0];
    correct = totals[1];
    tokens = static_cast<std::size_t>(totals[2]);
    check_replicas_agree(model.params(), state.step);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    const nn::Classifier& scored = average ? *average : model;
    const DevResult dev = evaluate_dev(scored, data, dev_rows, batching.batch_size, ws);
    eval::EpochRecord record;
    record.epoch = epoch;
    record.train_loss = loss_sum / static_cast<double>(seen);
    record.dev_loss = dev.loss;
    record.dev_accuracy = dev.metrics.accuracy;
    record.dev_macro_f1 = dev.metrics.macro.f1;
    record.lr = optimizer->lr();
    record.seconds = seconds;
    record.tokens_per_s = static_cast<double>(tokens) / seconds;
    record.extra["train_accuracy"] = correct / static_cast<double>(seen);
    if (dist::distributed()) {
      record.extra["ranks"] = dist::size();
      record.extra["allreduce_seconds"] = comm_seconds;
      record.extra["allreduce_bytes"] = comm_bytes;
    }
    state.history.push_back(record);
    const double score = metric_value(config, record);
    const bool improved = score > best_score;
    if (improved) {
      best_score = score;
      best_epoch = epoch;
      best.params().copy_values_from(scored.params());
    }
    if (plateau) plateau_lr = plateau->step(score);
    log::info(
        "epoch {}: train loss {:.4f}, dev loss {:.4f}, dev acc {:.4f}, dev macro-F1 {:.4f}, "
        "{:.1f}s, {:.0f} tokens/s{}",
        epoch, *record.train_loss, dev.loss, dev.metrics.accuracy, dev.metrics.macro.f1, seconds,
        *record.tokens_per_s, improved ? " *" : "");
    state.epoch = epoch;
    if (writer) {
      save_checkpoint(ckpt, state, model.params(), best.params(), *optimizer,
                      average ? &average->params() : nullptr);
    }
    if (options.on_progress) {
      TrainProgress p;
      p.epoch = epoch;
      p.epochs = config.epochs;
      p.batch = p.batches = batches_done;
      p.train_loss = *record.train_loss;
      p.train_accuracy = correct / static_cast<double>(seen);
      p.epoch_done = true;
      p.dev_accuracy = dev.metrics.accuracy;
      p.dev_macro_f1 = dev.metrics.macro.f1;
      options.on_progress(p);
    }
  }

  // The best epoch's weights are the model.
  const DevResult final_dev = evaluate_dev(best, data, dev_rows, batching.batch_size, ws);
  std::optional<predict::DecisionRule> rule;
  if (config.calibrate) rule = calibrate_on_dev(final_dev, data);
  ExportInput input;
  input.config = &config;
  input.data = &data;
  input.model = &best;
  input.dev_metrics = &final_dev.metrics;
  input.history = &state.history;
  input.reference = predict::reference_distributions(final_dev.probabilities, data.labels, data.dev.corpus);
  input.decision_rule = rule ? &*rule : nullptr;
  input.best_epoch = best_epoch;
  input.pruning = options.pruning;
  if (writer) {
    export_model(out, input);
    if (!options.keep_checkpoint) {
      std::error_code ec;
      fs::remove_all(ckpt, ec);
    }
  }
  // No rank reports success before the model is in place.
  dist::barrier();

  TrainSummary summary;
  summary.out = out;
  summary.epochs_run = state.epoch;
  summary.best_epoch = best_epoch;
  summary.best_score = best_score;
  summary.dev_metrics = final_dev.metrics;
  const int fresh_epochs = static_cast<int>(state.history.size());
  double total_seconds = 0, total_tokens = 0;
  for (const auto& r : state.history) {
    total_seconds += r.seconds.value_or(0);
    total_tokens += r.seconds.value_or(0) * r.tokens_per_s.value_or(0);
  }
  summary.seconds_per_epoch = fresh_epochs ? total_seconds / fresh_epochs : 0;
  summary.train_tokens_per_s = total_seconds > 0 ? total_tokens / total_seconds : 0;
  summary.train_rows = data.layout.size();
  summary.dev_rows = data.dev.size();
  summary.vocab_size = data.vocab.size();
  summary.dev_oov_rate = vocab::oov_stats(data.dev.corpus.ids).rate();
  if (pretrained) summary.pretrained = pretrained->to_json();
  if (own_vectors) summary.pretrained["pretraining"] = pretrain_stats.to_json();
  return summary;
}

}  // namespace zhsenti::train
