#include "zhsenti/embed/vector_io.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "zhsenti/core/error.h"
#include "zhsenti/core/rng.h"
#include "zhsenti/embed/neighbors.h"

namespace zhsenti::embed {
namespace {

namespace fs = std::filesystem;

class VectorIo : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("zhsenti_vec_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& content) const {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  static WordVectors sample_vectors(int words, int dim) {
    WordVectors v;
    v.dim = dim;
    Rng rng(5);
    for (int i = 0; i < words; ++i) {
      v.words.push_back(i % 3 == 0 ? "词" + std::to_string(i) : "w" + std::to_string(i));
      for (int j = 0; j < dim; ++j)
        v.values.push_back(static_cast<float>(rng.normal()) * 1e-3f * (j + 1));
    }
    v.values[0] = 1e-30f;  // a denormal-ish small value must survive text formats too
    v.values[1] = -123456.789f;
    return v;
  }

  // The message of the Error that fn throws.
  template <typename Fn>
  static std::string error_of(Fn&& fn) {
    try {
      fn();
    } catch (const Error& e) {
      return e.what();
    }
    ADD_FAILURE() << "no error thrown";
    return "";
  }

  fs::path dir_;
};

TEST_F(VectorIo, RoundTripsAllFourFormatsExactly) {
  const WordVectors v = sample_vectors(37, 7);
  const std::pair<const char*, VectorFormat> cases[] = {{"a.txt", VectorFormat::kWord2VecText},
                                                        {"a.bin", VectorFormat::kWord2VecBinary},
                                                        {"a.glove", VectorFormat::kGloveText},
                                                        {"a.vec", VectorFormat::kFastTextVec}};
  for (const auto& [name, format] : cases) {
    save_vectors(path(name), v, format);
    VectorReader reader(path(name));
    EXPECT_EQ(reader.format(), format) << name;
    EXPECT_EQ(reader.dim(), 7) << name;
    const WordVectors back = load_vectors(path(name));
    EXPECT_EQ(back.dim, v.dim) << name;
    EXPECT_EQ(back.words, v.words) << name;
    EXPECT_EQ(back.values, v.values) << name << ": floats must read back bit for bit";
  }
}

TEST_F(VectorIo, DetectsBinaryWithoutTheExtension) {
  const WordVectors v = sample_vectors(4, 16);
  save_vectors(path("vectors.txt"), v, VectorFormat::kWord2VecBinary);
  VectorReader reader(path("vectors.txt"));
  EXPECT_EQ(reader.format(), VectorFormat::kWord2VecBinary);
  EXPECT_EQ(load_vectors(path("vectors.txt")).values, v.values);
}

TEST_F(VectorIo, ReadsForeignTextConventions) {
  // fastText's trailing space, CRLF line ends, tabs, a trailing blank line.
  const auto p = write("f.vec", "2 3\r\n</s> 0.1 0.2 0.3 \r\n好\t-1 2e-3 4\t\r\n\r\n");
  const WordVectors v = load_vectors(p);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v.words[1], "好");
  EXPECT_FLOAT_EQ(v.values[4], 2e-3f);
  // GloVe: no header, dimension from the first row.
  const auto g = write("g.txt", "the 1 2\nof 3 4\n");
  VectorReader reader(g);
  EXPECT_EQ(reader.format(), VectorFormat::kGloveText);
  EXPECT_EQ(reader.declared_count(), -1);
  EXPECT_EQ(load_vectors(g).values, (std::vector<float>{1, 2, 3, 4}));
}

TEST_F(VectorIo, FilterSkipsParsingButStillChecksRows) {
  const WordVectors v = sample_vectors(50, 5);
  for (auto format : {VectorFormat::kWord2VecText, VectorFormat::kWord2VecBinary}) {
    save_vectors(path("v"), v, format);
    const WordVectors some =
        load_vectors(path("v"), format, [](std::string_view w) { return w == "w1" || w == "词3"; });
    ASSERT_EQ(some.words, (std::vector<std::string>{"w1", "词3"}));
    EXPECT_EQ(std::vector<float>(some.values.begin() + 5, some.values.end()),
              std::vector<float>(v.row(3).begin(), v.row(3).end()));
  }
  const auto bad = write("bad.txt", "2 2\na 1 2\nb 1\n");
  EXPECT_NE(error_of([&] {
              load_vectors(bad, {}, [](std::string_view) { return false; });
            }).find("bad.txt:3: expected 2 values after 'b', found 1"),
            std::string::npos);
}

TEST_F(VectorIo, BadFilesNameFileLineAndProblem) {
  const std::pair<std::string, std::string> cases[] = {
      {"", "empty file"},
      {"3 2\na 1 2\nb 1 2 3\n", ":3: expected 2 values after 'b', found 3"},
      {"2 2\na 1 x\nb 1 2\n", ":2: value 2 of 'a' is not a finite number: 'x'"},
      {"2 2\na 1 nan\nb 1 2\n", ":2: value 2 of 'a' is not a finite number"},
      {"3 2\na 1 2\nb 1 2\n", "the header declares 3 vectors but the file holds 2"},
      {"1 2\na 1 2\nb 1 2\n", ":3: more rows than the 1 the header declares"},
      {"2 -1\n", ":1: header dimension -1 is outside"},
      {"the 1 2\nof 3\n", ":2: expected 2 values after 'of', found 1"},
  };
  int i = 0;
  for (const auto& [content, expected] : cases) {
    const auto p = write("bad" + std::to_string(i++) + ".txt", content);
    const std::string message = error_of([&] { load_vectors(p); });
    EXPECT_NE(message.find(expected), std::string::npos) << message;
    EXPECT_NE(message.find(p), std::string::npos) << message;
  }
  EXPECT_NE(error_of([&] { load_vectors(path("missing.txt")); }).find("missing.txt"),
            std::string::npos);
  // Forcing a header format on a header-less file.
  const auto glove = write("g.txt", "the 1 2\n");
  EXPECT_NE(error_of([&] {
              load_vectors(glove, VectorFormat::kWord2VecText);
            }).find(":1: expected a header 'count dim', got 'the 1 2'"),
            std::string::npos);
}

TEST_F(VectorIo, TruncatedBinaryIsAnError) {
  const WordVectors v = sample_vectors(3, 8);
  save_vectors(path("v.bin"), v, VectorFormat::kWord2VecBinary);
  const auto size = fs::file_size(path("v.bin"));
  fs::resize_file(path("v.bin"), size - 10);
  const std::string message = error_of([&] { load_vectors(path("v.bin")); });
  EXPECT_NE(message.find("vector 3 (byte"), std::string::npos) << message;
  EXPECT_NE(message.find("truncated"), std::string::npos) << message;
}

TEST_F(VectorIo, WriterRejectsBadWordsAndCounts) {
  VectorWriter w(path("w.txt"), VectorFormat::kWord2VecText, 1, 2);
  const float values[2] = {1, 2};
  EXPECT_THROW(w.add("two words", values), Error);
  EXPECT_THROW(w.add("ok", std::span<const float>(values, 1)), Error);
  EXPECT_THROW(w.commit(), Error);  // nothing added yet
  w.add("ok", values);
  w.commit();
  EXPECT_EQ(load_vectors(path("w.txt")).words, std::vector<std::string>{"ok"});
}

TEST_F(VectorIo, NeighborsFromFileMatchInMemory) {
  WordVectors v;
  v.dim = 2;
  v.words = {"a", "b", "c", "d"};
  v.values = {1, 0, 0.9f, 0.1f, 0, 1, -1, 0};
  save_vectors(path("n.bin"), v, VectorFormat::kWord2VecBinary);
  const std::vector<std::string> queries = {"a", "zz"};
  const auto from_file = nearest_neighbors(path("n.bin"), queries, 2);
  const auto in_memory = nearest_neighbors(v, queries, 2);
  ASSERT_EQ(from_file.size(), 2u);
  EXPECT_TRUE(from_file[0].found);
  EXPECT_FALSE(from_file[1].found);
  ASSERT_EQ(from_file[0].neighbors.size(), 2u);
  EXPECT_EQ(from_file[0].neighbors[0].word, "b");
  EXPECT_EQ(from_file[0].neighbors[1].word, "c");
  EXPECT_NEAR(from_file[0].neighbors[0].similarity, 0.9f / std::sqrt(0.82f), 1e-6);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(in_memory[0].neighbors[i].word, from_file[0].neighbors[i].word);
    EXPECT_FLOAT_EQ(in_memory[0].neighbors[i].similarity, from_file[0].neighbors[i].similarity);
  }
}

// More rows than one block of the search (4,096), with a zero row and a duplicated word:
// the streamed and the in-memory search give the exhaustive top k by exact cosine.
TEST_F(VectorIo, NeighborsOverSeveralBlocksAreTheExhaustiveTopK) {
  WordVectors v;
  v.dim = 8;
  Rng rng(3);
  for (int i = 0; i < 9000; ++i) {
    v.words.push_back(std::to_string(i));
    for (int d = 0; d < v.dim; ++d) v.values.push_back(static_cast<float>(rng.normal()));
  }
  std::fill(v.values.begin() + 8 * 17, v.values.begin() + 8 * 18, 0.0f);
  v.words[5000] = "7";
  save_vectors(path("many.bin"), v, VectorFormat::kWord2VecBinary);
  const std::vector<std::string> queries = {"7", "4321", "17"};
  const int k = 6;
  const auto from_file = nearest_neighbors(path("many.bin"), queries, k);
  const auto in_memory = nearest_neighbors(v, queries, k);
  for (std::size_t q = 0; q < 2; ++q) {
    const auto query = v.row(q == 0 ? 7 : 4321);
    std::vector<Neighbor> all;
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (v.words[i] != queries[q] && i != 17) all.push_back({v.words[i], cosine(query, v.row(i))});
    }
    std::sort(all.begin(), all.end(), [](const Neighbor& a, const Neighbor& b) {
      return a.similarity != b.similarity ? a.similarity > b.similarity : a.word < b.word;
    });
    ASSERT_TRUE(from_file[q].found);
    ASSERT_EQ(from_file[q].neighbors.size(), static_cast<std::size_t>(k));
    ASSERT_EQ(in_memory[q].neighbors.size(), static_cast<std::size_t>(k));
    for (int i = 0; i < k; ++i) {
      EXPECT_EQ(from_file[q].neighbors[i].word, all[i].word) << queries[q] << " #" << i;
      EXPECT_NEAR(from_file[q].neighbors[i].similarity, all[i].similarity, 1e-6);
      EXPECT_EQ(in_memory[q].neighbors[i].word, from_file[q].neighbors[i].word);
      EXPECT_EQ(in_memory[q].neighbors[i].similarity, from_file[q].neighbors[i].similarity);
    }
  }
  // The zero vector has no direction: found, without neighbours.
  EXPECT_TRUE(from_file[2].found);
  EXPECT_TRUE(from_file[2].neighbors.empty());
  EXPECT_TRUE(in_memory[2].neighbors.empty());
}

}  // namespace
}  // namespace zhsenti::embed
