// Segmenter::load: find jieba's files, use the cache when it matches them, else build the
// image from the sources and store it for next time.

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <unordered_map>

#include "segmenter_impl.h"
#include "zhsenti/core/atomic_file.h"
#include "zhsenti/core/error.h"
#include "zhsenti/core/log.h"
#include "zhsenti/text/dict.h"

namespace zhsenti::text {
namespace fs = std::filesystem;
using detail::BlobReader;
using detail::BlobWriter;
using detail::Section;

namespace {

constexpr std::string_view kPackageJiebaDir = "/usr/lib/python3/dist-packages/jieba";
constexpr std::size_t kAlign = 64;

constexpr std::string_view kSourceFiles[] = {
    "dict.txt",
    "finalseg/prob_start.py",
    "finalseg/prob_trans.py",
    "finalseg/prob_emit.py",
    "posseg/char_state_tab.py",
    "posseg/prob_start.py",
    "posseg/prob_trans.py",
    "posseg/prob_emit.py",
};

struct SourceStamp {
  std::int64_t size;
  std::int64_t mtime_ns;
};

SourceStamp stamp(const fs::path& path, std::string_view what) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    throw Error(ErrorCode::kNotFound,
                fmt::format("{} {}: cannot read it ({})", what, path.string(),
                            what == "user dictionary"
                                ? "check the path"
                                : "install the python3-jieba package or set ZHSENTI_JIEBA_DIR"));
  }
  return {static_cast<std::int64_t>(st.st_size),
          static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
}

class TagPool {
 public:
  TagPool() {
    id("x");
    id("m");
    id("eng");
  }
  std::uint16_t id(std::string_view tag) {
    const auto it = ids_.find(std::string(tag));
    if (it != ids_.end()) return it->second;
    if (tags_.size() >= 0xFFFF) {
      throw Error(ErrorCode::kInvalidArgument, "more than 65535 distinct POS tags");
    }
    const auto next = static_cast<std::uint16_t>(tags_.size());
    tags_.emplace_back(tag);
    ids_.emplace(std::string(tag), next);
    return next;
  }
  const std::vector<std::string>& tags() const { return tags_; }

 private:
  std::vector<std::string> tags_;
  std::unordered_map<std::string, std::uint16_t> ids_;
};

// Strings as (begin offsets, concatenated bytes), the begin array one longer than the list.
void add_strings(BlobWriter& w, Section begin_section, Section chars_section,
                 const std::vector<std::string>& strings) {
  std::vector<std::uint32_t> begin{0};
  std::string chars;
  for (const auto& s : strings) {
    chars += s;
    begin.push_back(static_cast<std::uint32_t>(chars.size()));
  }
  w.add<std::uint32_t>(begin_section, begin);
  w.add<char>(chars_section, chars);
}

std::string build_image(const fs::path& jieba_dir, const FreqTable& table,
                        const fs::path& dict_path, std::string_view key) {
  if (table.total() <= 0) {
    throw Error(ErrorCode::kFormat, fmt::format("{}: the dictionary's total frequency is {}",
                                                dict_path.string(), table.total()));
  }

  TagPool tags;
  auto tag_id = [&](std::string_view t) { return tags.id(t); };
  const TrieArrays trie = build_trie(table, tag_id);
  const BmesTables bmes = load_bmes_tables(jieba_dir / "finalseg");
  const PosTables pos = load_pos_tables(jieba_dir / "posseg", tag_id);

  detail::SegScalars scalars{};
  scalars.neg_log_total = 0.0 - std::log(static_cast<double>(table.total()));
  scalars.total = table.total();
  scalars.trie_nodes = static_cast<std::uint32_t>(trie.tag.size());
  scalars.tag_x = tags.id("x");
  scalars.tag_m = tags.id("m");
  scalars.tag_eng = tags.id("eng");

  std::vector<std::string> force(table.force_split().begin(), table.force_split().end());
  std::sort(force.begin(), force.end());

  BlobWriter w;
  w.add<char>(Section::kKey, key);
  w.add<detail::SegScalars>(Section::kScalars, std::span(&scalars, 1));
  w.add<std::uint32_t>(Section::kTrieRootChild, trie.root_child);
  w.add<TrieNode>(Section::kTrieNodes, trie.nodes);
  w.add<TrieBigram>(Section::kTrieBigrams, trie.bigrams);
  w.add<double>(Section::kTrieWeights, trie.weights);
  w.add<double>(Section::kTrieWeightOverflow, trie.weight_overflow);
  w.add<std::uint16_t>(Section::kTrieTag, trie.tag);
  add_strings(w, Section::kTagBegin, Section::kTagChars, tags.tags());
  add_strings(w, Section::kForceBegin, Section::kForceChars, force);
  w.add<BmesHead>(Section::kBmesHead, std::span(&bmes.head, 1));
  w.add<double>(Section::kBmesEmit, bmes.emit);
  w.add<std::uint8_t>(Section::kPosStateBmes, pos.state_bmes);
  w.add<std::uint16_t>(Section::kPosStateTag, pos.state_tag);
  w.add<double>(Section::kPosStart, pos.start);
  w.add<std::uint32_t>(Section::kPosPredBegin, pos.pred_begin);
  w.add<std::uint8_t>(Section::kPosPredState, pos.pred_state);
  w.add<double>(Section::kPosPredProb, pos.pred_prob);
  w.add<std::uint64_t>(Section::kPosSuccBits, pos.succ_bits);
  w.add<std::uint8_t>(Section::kPosCharKnown, pos.char_known);
  w.add<std::uint32_t>(Section::kPosCharStateBegin, pos.char_state_begin);
  w.add<std::uint8_t>(Section::kPosCharStates, pos.char_states);
  w.add<std::uint32_t>(Section::kPosEmitBegin, pos.emit_begin);
  w.add<std::uint8_t>(Section::kPosEmitState, pos.emit_state);
  w.add<double>(Section::kPosEmitProb, pos.emit_prob);
  return w.finish();
}

// begin[0] == 0, non-decreasing, begin.back() == size.
bool offsets_ok(std::span<const std::uint32_t> begin, std::size_t size) {
  if (begin.empty() || begin.front() != 0 || begin.back() != size) return false;
  return std::is_sorted(begin.begin(), begin.end());
}

}  // namespace

namespace {
fs::path main_dict_path(const fs::path& jieba_dir, const fs::path& dictionary) {
  return fs::absolute(dictionary.empty() ? jieba_dir / "dict.txt" : dictionary);
}
}  // namespace

fs::path resolve_jieba_dir(const fs::path& option) {
  if (!option.empty()) return option;
  if (const char* env = std::getenv("ZHSENTI_JIEBA_DIR"); env && *env) return env;
  return fs::path(kPackageJiebaDir);
}

fs::path resolve_cache_dir(const fs::path& option) {
  if (!option.empty()) return option;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) {
    return fs::path(xdg) / "zhsenti";
  }
  if (const char* home = std::getenv("HOME"); home && *home) {
    return fs::path(home) / ".cache" / "zhsenti";
  }
  return {};
}

std::unique_ptr<ImageStorage> ImageStorage::map_file(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  struct stat st {};
  if (::fstat(fd, &st) != 0 || st.st_size <= 0) {
    ::close(fd);
    return nullptr;
  }
  const auto size = static_cast<std::size_t>(st.st_size);
  void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  ::close(fd);
  if (p == MAP_FAILED) return nullptr;
  std::unique_ptr<ImageStorage> out(new ImageStorage);
  out->data_ = static_cast<unsigned char*>(p);
  out->size_ = size;
  out->mapped_ = true;
  return out;
}

std::unique_ptr<ImageStorage> ImageStorage::copy_of(std::string_view bytes) {
  std::unique_ptr<ImageStorage> out(new ImageStorage);
  const std::size_t alloc = (bytes.size() + kAlign - 1) / kAlign * kAlign;
  out->data_ = static_cast<unsigned char*>(std::aligned_alloc(kAlign, std::max(alloc, kAlign)));
  if (!out->data_) throw std::bad_alloc();
  std::memcpy(out->data_, bytes.data(), bytes.size());
  out->size_ = bytes.size();
  return out;
}

ImageStorage::~ImageStorage() {
  if (!data_) return;
  if (mapped_) {
    ::munmap(data_, size_);
  } else {
    std::free(data_);
  }
}

bool Segmenter::Impl::bind(const BlobReader& r) {
  const auto sc = r.get<detail::SegScalars>(Section::kScalars);
  if (sc.size() != 1 || !r.sizes_fit(Section::kScalars, sizeof(detail::SegScalars))) return false;
  scalars = sc[0];
  TrieSpans ts;
  ts.root_child = r.get<std::uint32_t>(Section::kTrieRootChild);
  ts.nodes = r.get<TrieNode>(Section::kTrieNodes);
  ts.bigrams = r.get<TrieBigram>(Section::kTrieBigrams);
  ts.weights = r.get<double>(Section::kTrieWeights);
  ts.weight_overflow = r.get<double>(Section::kTrieWeightOverflow);
  ts.tag = r.get<std::uint16_t>(Section::kTrieTag);
  tag_begin = r.get<std::uint32_t>(Section::kTagBegin);
  const auto tag_bytes = r.get<char>(Section::kTagChars);
  tag_chars = {tag_bytes.data(), tag_bytes.size()};
  force_begin = r.get<std::uint32_t>(Section::kForceBegin);
  const auto force_bytes = r.get<char>(Section::kForceChars);
  force_chars = {force_bytes.data(), force_bytes.size()};
  if (!offsets_ok(tag_begin, tag_chars.size()) || !offsets_ok(force_begin, force_chars.size())) {
    return false;
  }
  const std::size_t n_tags = tag_begin.size() - 1;
  if (scalars.tag_x >= n_tags || scalars.tag_m >= n_tags || scalars.tag_eng >= n_tags) return false;

  const auto head = r.get<BmesHead>(Section::kBmesHead);
  const auto emit = r.get<double>(Section::kBmesEmit);
  if (head.size() != 1 || emit.size() != std::size_t{kHanCount} * 4) return false;

  PosArrays a;
  a.state_bmes = r.get<std::uint8_t>(Section::kPosStateBmes);
  a.state_tag = r.get<std::uint16_t>(Section::kPosStateTag);
  a.start = r.get<double>(Section::kPosStart);
  a.pred_begin = r.get<std::uint32_t>(Section::kPosPredBegin);
  a.pred_state = r.get<std::uint8_t>(Section::kPosPredState);
  a.pred_prob = r.get<double>(Section::kPosPredProb);
  a.succ_bits = r.get<std::uint64_t>(Section::kPosSuccBits);
  a.char_known = r.get<std::uint8_t>(Section::kPosCharKnown);
  a.char_state_begin = r.get<std::uint32_t>(Section::kPosCharStateBegin);
  a.char_states = r.get<std::uint8_t>(Section::kPosCharStates);
  a.emit_begin = r.get<std::uint32_t>(Section::kPosEmitBegin);
  a.emit_state = r.get<std::uint8_t>(Section::kPosEmitState);
  a.emit_prob = r.get<double>(Section::kPosEmitProb);
  const std::size_t states = a.start.size();
  if (states == 0 || states > kMaxPosStates || a.state_bmes.size() != states ||
      a.state_tag.size() != states || a.succ_bits.size() != states * 4 ||
      a.pred_begin.size() != states + 1 || !offsets_ok(a.pred_begin, a.pred_state.size()) ||
      a.pred_prob.size() != a.pred_state.size() || a.char_known.size() != kHanCount ||
      a.char_state_begin.size() != kHanCount + 1 ||
      !offsets_ok(a.char_state_begin, a.char_states.size()) ||
      a.emit_begin.size() != kHanCount + 1 || !offsets_ok(a.emit_begin, a.emit_state.size()) ||
      a.emit_prob.size() != a.emit_state.size()) {
    return false;
  }
  auto bad_tag = [&](std::uint16_t t) { return t >= n_tags; };
  if (std::any_of(a.state_tag.begin(), a.state_tag.end(), bad_tag) ||
      std::any_of(ts.tag.begin(), ts.tag.end(), bad_tag)) {
    return false;
  }
  trie = TrieView(ts);
  bmes = BmesModel(head[0], emit);
  pos = PosModel(a);
  info.total = scalars.total;
  info.trie_nodes = scalars.trie_nodes;
  return true;
}

bool Segmenter::Impl::bind_checked(const BlobReader& reader) {
  try {
    return bind(reader);
  } catch (const Error& e) {
    log::debug("segmenter: cache rejected: {}", e.what());
    return false;
  }
}

bool Segmenter::Impl::force_split(std::string_view word) const {
  std::size_t lo = 0;
  std::size_t hi = force_begin.size() - 1;
  while (lo < hi) {
    const std::size_t mid = (lo + hi) / 2;
    const std::string_view w =
        force_chars.substr(force_begin[mid], force_begin[mid + 1] - force_begin[mid]);
    if (w == word) return true;
    if (w < word)
      lo = mid + 1;
    else
      hi = mid;
  }
  return false;
}

std::shared_ptr<const Segmenter> Segmenter::load(const SegmenterOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->hmm = options.hmm;
  const fs::path jieba_dir = resolve_jieba_dir(options.jieba_dir);
  impl->info.jieba_dir = jieba_dir;

  // The key names every input with its size and mtime: any edit makes the cache stale.
  std::string key = fmt::format("zhsenti jieba image v{}\n", detail::kBlobVersion);
  std::string names;
  const fs::path dict_path = main_dict_path(jieba_dir, options.dictionary);
  for (const auto file : kSourceFiles) {
    const fs::path path = fs::absolute(file == "dict.txt" ? dict_path : jieba_dir / file);
    const auto st = stamp(path, "jieba file");
    key += fmt::format("jieba {} {} {}\n", path.string(), st.size, st.mtime_ns);
    names += path.string() + "\n";
  }
  std::vector<fs::path> user_dicts;
  for (const auto& user : options.user_dicts) {
    const fs::path path = fs::absolute(user);
    const auto st = stamp(path, "user dictionary");
    key += fmt::format("user {} {} {}\n", path.string(), st.size, st.mtime_ns);
    names += path.string() + "\n";
    user_dicts.push_back(path);
  }

  const fs::path cache_dir = resolve_cache_dir(options.cache_dir);
  if (!cache_dir.empty()) {
    const auto h =
        detail::blob_checksum(reinterpret_cast<const unsigned char*>(names.data()), names.size());
    impl->info.cache_file = cache_dir / fmt::format("jieba-{:016x}.bin", h);
    if (auto storage = ImageStorage::map_file(impl->info.cache_file)) {
      BlobReader reader;
      if (reader.open(storage->bytes()) && reader.key() == key && impl->bind_checked(reader)) {
        impl->storage = std::move(storage);
        impl->info.cache_hit = true;
        log::debug("segmenter: loaded {}", impl->info.cache_file.string());
        return std::shared_ptr<const Segmenter>(new Segmenter(std::move(impl)));
      }
      log::info("segmenter: cache {} is stale or damaged; rebuilding it",
                impl->info.cache_file.string());
    }
  }

  log::info("segmenter: building the jieba dictionary image from {}", jieba_dir.string());
  FreqTable table;
  table.load_main_dict(dict_path);
  for (const auto& path : user_dicts) table.load_user_dict(path);
  const std::string image = build_image(jieba_dir, table, dict_path, key);
  if (!impl->info.cache_file.empty()) {
    try {
      fs::create_directories(cache_dir);
      write_file_atomic(impl->info.cache_file, image);
    } catch (const std::exception& e) {
      log::warn("segmenter: cannot write cache {}: {}", impl->info.cache_file.string(), e.what());
    }
  }
  return bind_fresh(std::move(impl), image);
}

std::shared_ptr<const Segmenter> Segmenter::from_table(const FreqTable& table,
                                                       const SegmenterOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->hmm = options.hmm;
  impl->info.jieba_dir = resolve_jieba_dir(options.jieba_dir);
  const std::string image =
      build_image(impl->info.jieba_dir, table,
                  main_dict_path(impl->info.jieba_dir, options.dictionary), "in memory");
  return bind_fresh(std::move(impl), image);
}

std::shared_ptr<const Segmenter> Segmenter::bind_fresh(std::unique_ptr<Impl> impl,
                                                       std::string_view image) {
  impl->storage = ImageStorage::copy_of(image);
  BlobReader reader;
  if (!reader.open(impl->storage->bytes()) || !impl->bind(reader)) {
    throw Error(ErrorCode::kInternal, "segmenter: a freshly built image does not validate");
  }
  return std::shared_ptr<const Segmenter>(new Segmenter(std::move(impl)));
}

}  // namespace zhsenti::text
