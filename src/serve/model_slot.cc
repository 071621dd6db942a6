#include "zhsenti/serve/model_slot.h"

#include <atomic>

#include "zhsenti/core/log.h"
#include "zhsenti/core/sha256.h"
#include "zhsenti/modelfile/model_dir.h"

namespace zhsenti::serve {
namespace {

std::atomic<std::uint64_t> g_generation{0};

}  // namespace

std::shared_ptr<const LoadedModel> load_model(const std::filesystem::path& dir,
                                              const ServeOptions& options) {
  auto m = std::make_shared<LoadedModel>();
  m->predictor = predict::Predictor::load(
      dir,
      {.inference_table_max_bytes = options.inference_table_bytes, .precision = options.precision});
  const auto& p = *m->predictor;
  m->dir = std::filesystem::absolute(dir).lexically_normal();
  m->name = m->dir.filename().string();
  if (m->name.empty()) m->name = m->dir.parent_path().filename().string();
  // The version covers the weights as loaded, not only config.json: two runs that differ
  // only in their seed are different models.
  Sha256 h;
  h.update(p.config().to_json().dump());
  const auto values = p.model().params().values();
  h.update({reinterpret_cast<const char*>(values.data()), values.size_bytes()});
  m->version = Sha256::to_hex(h.finish()).substr(0, 12);
  m->loaded_at = modelfile::utc_timestamp();
  m->generation = ++g_generation;

  std::optional<Reference> reference;
  if (p.reference()) {
    try {
      reference = Reference::from_json(*p.reference(), p.labels());
    } catch (const std::exception& e) {
      // Drift is an aid, not a requirement: serve the model, say why drift is off.
      m->reference_problem = e.what();
    }
  } else {
    m->reference_problem = "the model directory has no reference.json";
  }
  m->drift = std::make_unique<DriftMonitor>(std::move(reference), options.drift_window,
                                            options.drift_min_samples, options.drift_threshold);

  // Warm-up: a real prediction proves the weights run and builds this thread's caches.
  const std::vector<std::string> texts = {"这家酒店的服务非常好", "warm-up"};
  std::vector<float> probs(texts.size() * static_cast<std::size_t>(p.num_classes()));
  nn::Workspace ws(1);
  vocab::EncodedCorpus corpus;
  p.encode_all(texts, corpus);
  p.predict_encoded(corpus, ws, probs);
  return m;
}

}  // namespace zhsenti::serve
