#include "shard.h"

#include <algorithm>
#include <cstring>
#include <numeric>
#include <span>
#include <string_view>
#include <type_traits>

#include "zhsenti/core/error.h"
#include "zhsenti/data/dataset.h"
#include "zhsenti/dist/comm.h"

namespace zhsenti::train {
namespace {

// Byte packing for allgather: fixed-size values and length-prefixed strings, read back in
// the order written (every rank runs the same binary, so the layout is the same).
class Packer {
 public:
  template <typename T>
  void put(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    bytes_.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  template <typename T>
  void put_array(std::span<const T> v) {
    put<std::uint64_t>(v.size());
    bytes_.append(reinterpret_cast<const char*>(v.data()), v.size_bytes());
  }
  void put_string(std::string_view s) { put_array(std::span<const char>(s.data(), s.size())); }
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
};

class Unpacker {
 public:
  explicit Unpacker(std::string_view bytes) : bytes_(bytes) {}
  template <typename T>
  T get() {
    T v;
    take(&v, sizeof v);
    return v;
  }
  template <typename T>
  std::vector<T> get_array() {
    std::vector<T> v(get<std::uint64_t>());
    take(v.data(), v.size() * sizeof(T));
    return v;
  }
  std::string get_string() {
    const auto chars = get_array<char>();
    return {chars.begin(), chars.end()};
  }

 private:
  void take(void* out, std::size_t n) {
    if (n > bytes_.size() - pos_) {
      throw Error(ErrorCode::kInternal, "a rank sent fewer bytes than its message needs");
    }
    if (n > 0) std::memcpy(out, bytes_.data() + pos_, n);
    pos_ += n;
  }
  std::string_view bytes_;
  std::size_t pos_ = 0;
};

std::vector<std::int32_t> lengths_of(const vocab::EncodedCorpus& c) {
  std::vector<std::int32_t> lengths(c.size());
  for (std::size_t i = 0; i < lengths.size(); ++i) lengths[i] = c.length(i);
  return lengths;
}

struct Row {
  std::uint64_t key;
  std::int32_t owner;
  std::size_t local;
};

// Every rank's rows, sorted by key; a key seen twice is a bug in the caller's keys.
std::vector<Row> order_rows(const std::vector<std::vector<std::uint64_t>>& keys) {
  std::vector<Row> rows;
  for (std::size_t r = 0; r < keys.size(); ++r) {
    for (std::size_t i = 0; i < keys[r].size(); ++i) {
      rows.push_back(Row{keys[r][i], static_cast<std::int32_t>(r), i});
    }
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.key < b.key; });
  for (std::size_t i = 1; i < rows.size(); ++i) {
    if (rows[i].key == rows[i - 1].key) {
      throw Error(ErrorCode::kInternal, "two ranks hold the same training row");
    }
  }
  return rows;
}

}  // namespace

TrainLayout local_layout(const LabelledCorpus& train) {
  TrainLayout l;
  l.lengths = lengths_of(train.corpus);
  l.labels = train.labels;
  l.owner.assign(train.size(), 0);
  l.local.resize(train.size());
  std::iota(l.local.begin(), l.local.end(), std::size_t{0});
  l.tokens = static_cast<std::int64_t>(train.corpus.ids.size());
  return l;
}

TrainLayout gather_layout(const LabelledCorpus& train, const std::vector<std::uint64_t>& keys) {
  if (!dist::distributed()) return local_layout(train);
  Packer p;
  p.put_array(std::span<const std::uint64_t>(keys));
  p.put_array(std::span<const std::int32_t>(lengths_of(train.corpus)));
  p.put_array(std::span<const std::int32_t>(train.labels));
  const auto all = dist::allgather(p.bytes());
  std::vector<std::vector<std::uint64_t>> all_keys;
  std::vector<std::vector<std::int32_t>> all_lengths, all_labels;
  for (const auto& bytes : all) {
    Unpacker u(bytes);
    all_keys.push_back(u.get_array<std::uint64_t>());
    all_lengths.push_back(u.get_array<std::int32_t>());
    all_labels.push_back(u.get_array<std::int32_t>());
  }
  TrainLayout l;
  for (const Row& row : order_rows(all_keys)) {
    const auto r = static_cast<std::size_t>(row.owner);
    l.lengths.push_back(all_lengths[r][row.local]);
    l.labels.push_back(all_labels[r][row.local]);
    l.owner.push_back(row.owner);
    l.local.push_back(row.local);
    l.tokens += l.lengths.back();
  }
  return l;
}

LabelledCorpus gather_corpus(const LabelledCorpus& part, const std::vector<std::uint64_t>& keys) {
  if (!dist::distributed()) return part;
  Packer p;
  p.put_array(std::span<const std::uint64_t>(keys));
  p.put_array(std::span<const std::int32_t>(part.corpus.ids));
  p.put_array(std::span<const std::size_t>(part.corpus.offsets));
  p.put_array(std::span<const std::int32_t>(part.labels));
  p.put<std::uint64_t>(part.corpus.num_truncated);
  const auto all = dist::allgather(p.bytes());
  std::vector<std::vector<std::uint64_t>> all_keys;
  std::vector<LabelledCorpus> parts;
  LabelledCorpus out;
  for (const auto& bytes : all) {
    Unpacker u(bytes);
    all_keys.push_back(u.get_array<std::uint64_t>());
    LabelledCorpus c;
    c.corpus.ids = u.get_array<std::int32_t>();
    c.corpus.offsets = u.get_array<std::size_t>();
    c.labels = u.get_array<std::int32_t>();
    out.corpus.num_truncated += u.get<std::uint64_t>();
    parts.push_back(std::move(c));
  }
  for (const Row& row : order_rows(all_keys)) {
    const LabelledCorpus& c = parts[static_cast<std::size_t>(row.owner)];
    out.corpus.push_back(c.corpus.sequence(row.local));
    out.labels.push_back(c.labels[row.local]);
  }
  return out;
}

std::vector<std::string> agree_labels(const std::vector<std::string>& mine) {
  if (!dist::distributed()) return mine;
  Packer p;
  p.put<std::uint64_t>(mine.size());
  for (const auto& l : mine) p.put_string(l);
  data::Dataset all;
  for (const auto& bytes : dist::allgather(p.bytes())) {
    Unpacker u(bytes);
    const auto n = u.get<std::uint64_t>();
    for (std::uint64_t i = 0; i < n; ++i) all.examples.push_back({"", u.get_string(), 0});
  }
  return all.labels();
}

vocab::TokenCounter agree_counts(const vocab::TokenCounter& mine) {
  if (!dist::distributed()) return mine;
  Packer p;
  const auto sorted = mine.sorted();
  p.put<std::uint64_t>(sorted.size());
  for (const auto& [token, n] : sorted) {
    p.put_string(token);
    p.put(n);
  }
  vocab::TokenCounter all;
  for (const auto& bytes : dist::allgather(p.bytes())) {
    Unpacker u(bytes);
    const auto n = u.get<std::uint64_t>();
    for (std::uint64_t i = 0; i < n; ++i) {
      std::string token = u.get_string();
      all.add(token, u.get<std::int64_t>());
    }
  }
  return all;
}

}  // namespace zhsenti::train
