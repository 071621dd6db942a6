// zhsenti._zhsenti.Tokenizer: jieba's Tokenizer over the C++ segmenter. The dictionary is
// immutable while cutting; add_word and friends edit a FreqTable (materialised from the
// dictionary at the first edit) and the next cut rebuilds the segmenter from it, so a run of
// edits costs one rebuild. Cutting releases the GIL and is safe from many threads.

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "errors.h"
#include "zhsenti/core/error.h"
#include "zhsenti/core/thread_pool.h"
#include "zhsenti/text/dict.h"
#include "zhsenti/text/segmenter.h"

namespace zhsenti::python {
namespace {

using text::CutMode;
using text::CutOptions;
using text::Segmenter;
using text::TokenSpan;

// The tokens of `str` as a list of str slices (code-point offsets: a memcpy per token).
py::list slices(const py::object& str, const std::vector<TokenSpan>& spans) {
  PyObject* list = PyList_New(static_cast<Py_ssize_t>(spans.size()));
  if (list == nullptr) throw py::error_already_set();
  py::list out = py::reinterpret_steal<py::list>(list);
  for (std::size_t i = 0; i < spans.size(); ++i) {
    PyObject* piece = PyUnicode_Substring(str.ptr(), spans[i].start, spans[i].end);
    if (piece == nullptr) throw py::error_already_set();
    PyList_SET_ITEM(list, static_cast<Py_ssize_t>(i), piece);
  }
  return out;
}

std::vector<TokenSpan>& span_buffer() {
  thread_local std::vector<TokenSpan> spans;
  return spans;
}

class PyTokenizer {
 public:
  PyTokenizer(const std::filesystem::path& dictionary, const std::filesystem::path& jieba_dir,
              const std::filesystem::path& cache_dir) {
    options_.dictionary = dictionary;
    options_.jieba_dir = jieba_dir;
    options_.cache_dir = cache_dir;
  }

  // The segmenter for the dictionary as it is now: loaded (or rebuilt after edits) on demand.
  std::shared_ptr<const Segmenter> segmenter() {
    std::lock_guard lock(mutex_);
    if (!segmenter_) {
      segmenter_ = table_ ? Segmenter::from_table(*table_, options_) : Segmenter::load(options_);
    }
    return segmenter_;
  }

  std::shared_ptr<const Segmenter> segmenter_nogil() {
    py::gil_scoped_release nogil;
    return segmenter();
  }

  py::list lcut(py::handle sentence, bool cut_all, bool hmm, CutMode mode) {
    return cut_to_list(sentence, CutOptions{cut_all ? CutMode::kFull : mode, hmm, true});
  }

  py::list cut_to_list(py::handle sentence, const CutOptions& options) {
    const Text t = as_text(sentence);
    auto& spans = span_buffer();
    {
      py::gil_scoped_release nogil;
      const auto seg = segmenter();
      seg->tokenize(t.utf8, spans, options);
    }
    return slices(t.str, spans);
  }

  py::list tokenize(py::handle sentence, const std::string& mode, bool hmm) {
    const auto m = text::parse_cut_mode(mode);
    if (!m || *m == CutMode::kFull) {
      throw Error(ErrorCode::kInvalidArgument,
                  "tokenize: mode must be 'default' or 'search', not '" + mode + "'");
    }
    const Text t = as_text(sentence);
    auto& spans = span_buffer();
    {
      py::gil_scoped_release nogil;
      segmenter()->tokenize(t.utf8, spans, CutOptions{*m, hmm, true});
    }
    py::list out(spans.size());
    for (std::size_t i = 0; i < spans.size(); ++i) {
      PyObject* piece = PyUnicode_Substring(t.str.ptr(), spans[i].start, spans[i].end);
      if (piece == nullptr) throw py::error_already_set();
      out[i] = py::make_tuple(py::reinterpret_steal<py::object>(piece), spans[i].start,
                              spans[i].end);
    }
    return out;
  }

  // [(word, flag), ...] as jieba.posseg.lcut, whitespace tokens included (tagged x).
  py::list lcut_pos(py::handle sentence, bool hmm) {
    const Text t = as_text(sentence);
    std::vector<text::TaggedToken> tagged;
    {
      py::gil_scoped_release nogil;
      segmenter()->cut_pos(t.utf8, tagged, hmm, true);
    }
    py::list out(tagged.size());
    for (std::size_t i = 0; i < tagged.size(); ++i) {
      out[i] = py::make_tuple(py::str(tagged[i].word.data(), tagged[i].word.size()),
                              py::str(tagged[i].tag.data(), tagged[i].tag.size()));
    }
    return out;
  }

  // lcut over many texts on `threads` threads (0: all cores); lists in input order.
  py::list cut_batch(const py::sequence& texts, bool cut_all, bool hmm, std::size_t threads,
                     bool for_search) {
    const CutMode mode = for_search ? CutMode::kSearch : CutMode::kDefault;
    std::vector<Text> in;
    in.reserve(texts.size());
    for (const auto& t : texts) in.push_back(as_text(t));
    std::vector<std::vector<TokenSpan>> spans(in.size());
    const CutOptions options{cut_all ? CutMode::kFull : mode, hmm, true};
    {
      py::gil_scoped_release nogil;
      const auto seg = segmenter();
      ThreadPool pool(threads);
      pool.parallel_for(in.size(), 64, [&](std::size_t b, std::size_t e, std::size_t) {
        for (std::size_t i = b; i < e; ++i) seg->tokenize(in[i].utf8, spans[i], options);
      });
    }
    py::list out(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) out[i] = slices(in[i].str, spans[i]);
    return out;
  }

  void add_word(const std::string& word, std::optional<std::int64_t> freq,
                const std::optional<std::string>& tag) {
    py::gil_scoped_release nogil;
    std::lock_guard lock(mutex_);
    table().add_word(word, freq, tag.value_or(""));
    segmenter_.reset();
  }

  void load_userdict_path(const std::filesystem::path& path) {
    py::gil_scoped_release nogil;
    std::lock_guard lock(mutex_);
    table().load_user_dict(path);
    segmenter_.reset();
  }

  void load_userdict_text(const std::string& data, const std::string& name) {
    py::gil_scoped_release nogil;
    std::lock_guard lock(mutex_);
    table().load_user_dict_text(data, name);
    segmenter_.reset();
  }

  // Tokenizer.suggest_freq(segment, tune=False) for a str: the frequency that keeps the word
  // whole (cut without the HMM under the dictionary as it is now).
  std::int64_t suggest_freq_word(const std::string& word) {
    py::gil_scoped_release nogil;
    std::lock_guard lock(mutex_);
    return table().suggest_freq(word);
  }

  // ... and for a sequence of segments: the frequency that splits the word into them.
  std::int64_t suggest_freq_split(const std::vector<std::string>& segments) {
    py::gil_scoped_release nogil;
    std::lock_guard lock(mutex_);
    FreqTable& t = table();
    const double ftotal = static_cast<double>(t.total());
    double p = 1.0;
    std::string word;
    for (const auto& s : segments) {
      p *= static_cast<double>(t.freq(s).value_or(1)) / ftotal;
      word += s;
    }
    return std::min(static_cast<std::int64_t>(p * ftotal), t.freq(word).value_or(0));
  }

  // FREQ.get(word): None when the word is not a key (prefixes of words have 0).
  std::optional<std::int64_t> freq(const std::string& word) {
    py::gil_scoped_release nogil;
    std::lock_guard lock(mutex_);
    return table().freq(word);
  }

  std::int64_t total() { return segmenter_nogil()->info().total; }

  py::dict info() {
    const auto seg = segmenter_nogil();
    py::dict d;
    d["jieba_dir"] = seg->info().jieba_dir;
    d["cache_file"] = seg->info().cache_file;
    d["cache_hit"] = seg->info().cache_hit;
    d["total"] = seg->info().total;
    return d;
  }

 private:
  using FreqTable = text::FreqTable;

  // Caller holds mutex_.
  FreqTable& table() {
    if (!table_) {
      auto t = std::make_unique<FreqTable>();
      const auto dir = text::resolve_jieba_dir(options_.jieba_dir);
      t->load_main_dict(options_.dictionary.empty() ? dir / "dict.txt" : options_.dictionary);
      for (const auto& u : options_.user_dicts) t->load_user_dict(u);
      table_ = std::move(t);
    }
    return *table_;
  }

  text::SegmenterOptions options_;
  std::mutex mutex_;
  std::shared_ptr<const Segmenter> segmenter_;
  std::unique_ptr<FreqTable> table_;
};

}  // namespace

void bind_segment(py::module_& m) {
  py::class_<PyTokenizer>(m, "Tokenizer", R"doc(
The C++ segmenter behind zhsenti.jieba.Tokenizer (use that class; this one is its engine).

dictionary: main "word freq [tag]" dictionary ('' : jieba's dict.txt); jieba_dir: folder of
jieba's data ('' : $ZHSENTI_JIEBA_DIR or the python3-jieba package); cache_dir: dictionary
cache ('' : $XDG_CACHE_HOME/zhsenti or ~/.cache/zhsenti, shared with the CLI).
)doc")
      .def(py::init<std::filesystem::path, std::filesystem::path, std::filesystem::path>(),
           py::arg("dictionary") = "", py::arg("jieba_dir") = "", py::arg("cache_dir") = "")
      .def("initialize", [](PyTokenizer& t) { t.segmenter_nogil(); },
           "Load the dictionary now (otherwise the first cut does).")
      .def(
          "lcut",
          [](PyTokenizer& t, py::handle sentence, bool cut_all, bool hmm, bool) {
            return t.lcut(sentence, cut_all, hmm, CutMode::kDefault);
          },
          py::arg("sentence"), py::arg("cut_all") = false, py::arg("HMM") = true,
          py::arg("use_paddle") = false,
          "Words of sentence as a list, exactly as jieba.lcut (whitespace tokens included).\n"
          "cut_all=True: full mode; HMM: guess unknown words; use_paddle is ignored.")
      .def(
          "lcut_for_search",
          [](PyTokenizer& t, py::handle sentence, bool hmm) {
            return t.lcut(sentence, false, hmm, CutMode::kSearch);
          },
          py::arg("sentence"), py::arg("HMM") = true,
          "Words for a search index, exactly as jieba.lcut_for_search.")
      .def("tokenize", &PyTokenizer::tokenize, py::arg("sentence"), py::arg("mode") = "default",
           py::arg("HMM") = true, "[(word, start, end), ...] as jieba.tokenize.")
      .def("lcut_pos", &PyTokenizer::lcut_pos, py::arg("sentence"), py::arg("HMM") = true,
           "[(word, flag), ...] as jieba.posseg.lcut.")
      .def("cut_batch", &PyTokenizer::cut_batch, py::arg("texts"), py::arg("cut_all") = false,
           py::arg("HMM") = true, py::arg("threads") = 0, py::arg("for_search") = false,
           "lcut (or lcut_for_search) of each text on `threads` threads (0: all cores), in "
           "input order.")
      .def("add_word", &PyTokenizer::add_word, py::arg("word"), py::arg("freq") = py::none(),
           py::arg("tag") = py::none())
      .def("load_userdict_path", &PyTokenizer::load_userdict_path, py::arg("path"))
      .def("load_userdict_text", &PyTokenizer::load_userdict_text, py::arg("data"),
           py::arg("name"))
      .def("suggest_freq_word", &PyTokenizer::suggest_freq_word, py::arg("word"))
      .def("suggest_freq_split", &PyTokenizer::suggest_freq_split, py::arg("segments"))
      .def("freq", &PyTokenizer::freq, py::arg("word"))
      .def_property_readonly("total", &PyTokenizer::total)
      .def("info", &PyTokenizer::info);
}

}  // namespace zhsenti::python
