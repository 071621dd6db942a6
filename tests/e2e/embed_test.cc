// zhsenti embed train | neighbors, and vectors used by zhsenti train --pretrained, on a tiny
// generated corpus.

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "cli_runner.h"
#include "zhsenti/embed/bigram_entry.h"
#include "zhsenti/embed/vector_io.h"
#include "zhsenti/modelfile/safetensors.h"

namespace zhsenti::testing {
namespace {

// Two families of reviews: praise words always appear with 好, complaints with 差.
std::string make_corpus(int lines) {
  const std::vector<std::string> pos = {"满意", "推荐", "喜欢", "很棒"};
  const std::vector<std::string> neg = {"失望", "糟糕", "后悔", "很烂"};
  std::string out;
  unsigned x = 5;
  auto next = [&x] { return x = x * 1103515245u + 12345u, (x >> 16) & 0x7fff; };
  for (int i = 0; i < lines; ++i) {
    const auto& words = i % 2 == 0 ? pos : neg;
    out += i % 2 == 0 ? "好 " : "差 ";
    for (int j = 0; j < 6; ++j) out += words[next() % words.size()] + " ";
    out += "\n";
  }
  return out;
}

TEST(EmbedE2E, TrainsVectorsAndFindsNeighbours) {
  TempDir dir;
  const std::string corpus = dir.write("corpus.txt", make_corpus(400));
  for (const char* model : {"skipgram", "cbow"}) {
    const std::string out = dir.file(std::string(model) + ".bin");
    const auto t =
        run_zhsenti({"embed",    "train",    "--corpus", corpus,        "--pre-segmented",
                     "--out",    out,        "--model",  model,         "--dim",
                     "16",       "--window", "3",        "--min-count", "1",
                     "--sample", "0",        "--epochs", "10",          "--threads",
                     "1",        "--json",   "-q"});
    ASSERT_EQ(t.exit_code, 0) << t.err;
    const auto summary = nlohmann::json::parse(t.out);
    EXPECT_EQ(summary["vocab"].get<int>(), 10);
    EXPECT_EQ(summary["format"].get<std::string>(), "word2vec-bin");
    EXPECT_EQ(summary["raw_words"].get<int>(), 400 * 7 * 10);
    EXPECT_GT(summary["raw_words_per_s"].get<double>(), 0);

    const auto n =
        run_zhsenti({"embed", "neighbors", "--vectors", out, "满意", "失望", "--k", "3", "--json"});
    ASSERT_EQ(n.exit_code, 0) << n.err;
    const auto first = nlohmann::json::parse(n.out.substr(0, n.out.find('\n')));
    ASSERT_EQ(first["neighbors"].size(), 3u);
    // The nearest words of a praise word are praise words (or 好), never complaints.
    for (const auto& e : first["neighbors"]) {
      const auto w = e["word"].get<std::string>();
      EXPECT_TRUE(w == "推荐" || w == "喜欢" || w == "很棒" || w == "好") << model << ": " << n.out;
    }
  }
}

TEST(EmbedE2E, ReadsDataFilesWithTheTokenizer) {
  TempDir dir;
  const std::string tsv =
      dir.write("d.tsv", "label\ttext_a\n1\t这家酒店非常好\n0\t服务太差了\n1\t酒店很好\n");
  const std::string out = dir.file("v.txt");
  const auto t = run_zhsenti({"embed", "train", "--corpus", tsv, "--out", out, "--tokens", "char",
                              "--min-count", "2", "--dim", "8", "--epochs", "1", "--json", "-q"});
  ASSERT_EQ(t.exit_code, 0) << t.err;
  const auto summary = nlohmann::json::parse(t.out);
  EXPECT_EQ(summary["texts"].get<int>(), 3);
  EXPECT_EQ(summary["corpus_words"].get<int>(), 7 + 5 + 4);
  EXPECT_EQ(summary["vocab"].get<int>(), 3);  // 酒, 店, 好
  EXPECT_EQ(summary["format"].get<std::string>(), "word2vec");

  // --bigrams adds each text's adjacent pairs: 6 + 4 + 3 of them, 酒▁店 twice.
  const auto b = run_zhsenti({"embed", "train", "--corpus", tsv, "--out", out, "--bigrams",
                              "--min-count", "2", "--dim", "8", "--epochs", "1", "--json", "-q"});
  ASSERT_EQ(b.exit_code, 0) << b.err;
  const auto with_bigrams = nlohmann::json::parse(b.out);
  EXPECT_EQ(with_bigrams["texts"].get<int>(), 3);
  EXPECT_EQ(with_bigrams["corpus_words"].get<int>(), 16);
  EXPECT_EQ(with_bigrams["bigram_corpus_words"].get<int>(), 13);
  EXPECT_EQ(with_bigrams["bigram_vocab"].get<int>(), 1);
  EXPECT_EQ(with_bigrams["vocab"].get<int>(), 4);
  const auto n = run_zhsenti({"embed", "neighbors", "--vectors", out, "酒\u2581店", "--json"});
  EXPECT_EQ(n.exit_code, 0) << n.err;
}

// Labelled reviews: the label follows the praise or complaint words.
std::string make_tsv(int rows, unsigned seed) {
  const std::vector<std::string> pos = {"很满意", "推荐", "喜欢", "很棒"};
  const std::vector<std::string> neg = {"很失望", "糟糕", "后悔", "很烂"};
  std::string out = "label\ttext_a\n";
  unsigned x = seed;
  auto next = [&x] { return x = x * 1103515245u + 12345u, (x >> 16) & 0x7fff; };
  for (int i = 0; i < rows; ++i) {
    const bool positive = i % 2 == 0;
    const auto& words = positive ? pos : neg;
    out += (positive ? "1\t" : "0\t") + std::string("房间") + words[next() % words.size()] +
           "，服务" + words[next() % words.size()] + "\n";
  }
  return out;
}

TEST(EmbedE2E, VectorsFromEmbedTrainFeedTrainPretrained) {
  TempDir dir;
  const std::string train = dir.write("train.tsv", make_tsv(200, 1));
  const std::string dev = dir.write("dev.tsv", make_tsv(40, 2));
  const std::string vectors = dir.file("chars.vec");
  // Raw texts, cleaned and cut into characters as train's default tokenizer does.
  const auto e =
      run_zhsenti({"embed", "train", "--corpus", train, dev, "--out", vectors, "--dim", "16",
                   "--min-count", "1", "--epochs", "3", "--threads", "1", "--bigrams", "-q"});
  ASSERT_EQ(e.exit_code, 0) << e.err;

  std::vector<std::string> args = {"train", "--train",      train,  "--dev",     dev, "--tokens",
                                   "char",  "--embed-dim",  "16",   "--hidden",  "8", "--epochs",
                                   "2",     "--batch-size", "16",   "--threads", "1", "--json",
                                   "-q",    "--pretrained", vectors};
  for (const bool freeze : {false, true}) {
    auto a = args;
    a.insert(a.end(), {"--out", dir.file(freeze ? "frozen" : "model")});
    if (freeze) {
      a.insert(a.end(), {"--freeze-embeddings", "--unfreeze-after", "1", "--pretrained-rescale"});
    } else {
      a.push_back("--no-freeze-embeddings");
    }
    const auto t = run_zhsenti(a);
    ASSERT_EQ(t.exit_code, 0) << t.err;
    const auto summary = nlohmann::json::parse(t.out);
    // Every character of train is in the vectors (min count 1, same tokenizer).
    EXPECT_EQ(summary["pretrained"]["found"], summary["pretrained"]["rows"]) << t.out;
    EXPECT_EQ(summary["pretrained"]["token_coverage"].get<double>(), 1.0);
    // Train's bigrams are in the file too; 100k buckets hold them with few collisions.
    EXPECT_GT(summary["pretrained"]["bigram_rows"].get<int>(), 20) << t.out;
    // word2vec's vectors of this tiny corpus are far below unit RMS.
    if (freeze) {
      EXPECT_GT(summary["pretrained"]["token_scale"].get<double>(), 1.5) << t.out;
    } else {
      EXPECT_EQ(summary["pretrained"]["token_scale"].get<double>(), 1.0) << "the file's scale";
    }
    std::ifstream in(dir.file(freeze ? "frozen" : "model") + "/config.json");
    std::stringstream config;
    config << in.rdbuf();
    EXPECT_NE(config.str().find("chars.vec"), std::string::npos) << "the setting is saved";
    if (freeze) {
      EXPECT_NE(t.err.find("epoch 2: embedding unfrozen"), std::string::npos) << t.err;
    }
  }

  // A dimension mismatch is a clear error naming both dimensions.
  auto wrong = args;
  wrong[8] = "8";  // --embed-dim 8
  wrong.insert(wrong.end(), {"--out", dir.file("bad")});
  const auto bad = run_zhsenti(wrong);
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(
      bad.err.find("chars.vec: the vectors have dimension 16 but the model's embedding has 8"),
      std::string::npos)
      << bad.err;
  // By default the vectors are held for two epochs; --no-freeze-embeddings trains them from
  // the first (so --unfreeze-after has nothing to end).
  for (const bool freeze : {true, false}) {
    auto a = args;
    *(std::find(a.begin(), a.end(), "--epochs") + 1) = "3";
    a.insert(a.end(), {"--out", dir.file(freeze ? "default" : "free")});
    if (!freeze) a.push_back("--no-freeze-embeddings");
    const auto t = run_zhsenti(a);
    ASSERT_EQ(t.exit_code, 0) << t.err;
    EXPECT_EQ(t.err.find("epoch 3: embedding unfrozen") != std::string::npos, freeze) << t.err;
  }
}

// How many of `vectors` are, bit for bit, a row of the model's tensor `name`.
int rows_equal_to(const std::string& model_dir, const std::string& name,
                  const std::vector<std::vector<float>>& vectors) {
  const auto file = modelfile::SafetensorsFile::read(model_dir + "/model.safetensors");
  const std::vector<float> table = file.to_f32(name);
  const std::size_t dim = static_cast<std::size_t>(file.at(name).shape.at(1));
  std::set<std::vector<float>> rows;
  for (std::size_t r = 0; r < table.size() / dim; ++r) {
    rows.emplace(table.begin() + static_cast<std::ptrdiff_t>(r * dim),
                 table.begin() + static_cast<std::ptrdiff_t>((r + 1) * dim));
  }
  int n = 0;
  for (const auto& v : vectors) n += rows.count(v) ? 1 : 0;
  return n;
}

// The rows of a vector file written by embed train --bigrams: tokens' and bigram entries'.
std::pair<std::vector<std::vector<float>>, std::vector<std::vector<float>>> token_and_bigram_rows(
    const std::string& path) {
  std::pair<std::vector<std::vector<float>>, std::vector<std::vector<float>>> rows;
  const embed::WordVectors file = embed::load_vectors(path);
  for (std::size_t i = 0; i < file.size(); ++i) {
    const auto row = file.row(i);
    (file.words[i].find(embed::kBigramJoiner) == std::string::npos ? rows.first : rows.second)
        .emplace_back(row.begin(), row.end());
  }
  return rows;
}

TEST(EmbedE2E, FrozenEmbeddingsKeepTheFilesVectorsInBothTables) {
  TempDir dir;
  const std::string train = dir.write("train.tsv", make_tsv(100, 3));
  const std::string vectors = dir.file("v.vec");
  ASSERT_EQ(run_zhsenti({"embed", "train", "--corpus", train, "--out", vectors, "--dim", "8",
                         "--min-count", "1", "--epochs", "1", "--threads", "1", "--bigrams", "-q"})
                .exit_code,
            0);
  const auto [tokens, bigrams] = token_and_bigram_rows(vectors);
  ASSERT_GT(tokens.size(), 10u);
  ASSERT_GT(bigrams.size(), 10u);

  for (const bool freeze : {true, false}) {
    const std::string out = dir.file(freeze ? "frozen" : "trained");
    std::vector<std::string> a = {"train", "--train",   train,  "--validation-split",
                                  "0.2",   "--tokens",  "char", "--embed-dim",
                                  "8",     "--hidden",  "4",    "--epochs",
                                  "2",     "--threads", "1",    "--pretrained",
                                  vectors, "--out",     out,    "-q"};
    if (freeze) {
      a.insert(a.end(), {"--freeze-embeddings", "--unfreeze-after", "0"});
    } else {
      a.push_back("--no-freeze-embeddings");
    }
    const auto t = run_zhsenti(a);
    ASSERT_EQ(t.exit_code, 0) << t.err;
    const int token_rows = rows_equal_to(out, "embedding.weight", tokens);
    const int bigram_rows = rows_equal_to(out, "ngram_embedding.weight", bigrams);
    if (freeze) {  // every character is in the vocabulary; a few bigrams may share a bucket
      EXPECT_EQ(token_rows, static_cast<int>(tokens.size()));
      EXPECT_GE(bigram_rows, static_cast<int>(bigrams.size()) * 9 / 10);
    } else {  // trained: no row is left as the file had it
      EXPECT_EQ(token_rows, 0);
      EXPECT_EQ(bigram_rows, 0);
    }
  }
}

TEST(EmbedE2E, PretrainEpochsStartFromTheVectorsEmbedTrainWouldWrite) {
  TempDir dir;
  const std::string train = dir.write("train.tsv", make_tsv(100, 3));
  const std::string dev = dir.write("dev.tsv", make_tsv(30, 4));
  // One thread and the same seed: word2vec is bit-reproducible, so train's own pre-training
  // on its training texts must give exactly the vectors of embed train on the same file.
  const std::string vectors = dir.file("v.vec");
  const std::string extra = dir.write("extra.txt", "房间很好\n\n服务一般\n");
  ASSERT_EQ(run_zhsenti({"embed", "train", "--corpus", train, extra, "--out", vectors, "--dim", "8",
                         "--min-count", "2", "--epochs", "2", "--threads", "1", "--seed", "7",
                         "--bigrams", "-q"})
                .exit_code,
            0);
  const auto [tokens, bigrams] = token_and_bigram_rows(vectors);
  ASSERT_GT(tokens.size(), 10u);
  ASSERT_GT(bigrams.size(), 10u);

  std::vector<std::string> args = {"train", "--train", train, "--dev", dev, "--json", "-q"};
  args.insert(args.end(), {"--tokens", "char", "--embed-dim", "8", "--hidden", "4"});
  args.insert(args.end(), {"--epochs", "1", "--threads", "1", "--seed", "7"});
  args.insert(args.end(), {"--pretrain-epochs", "2", "--freeze-embeddings"});
  // Unlabelled texts join the pre-training corpus (after the training texts, as in embed
  // train's corpus above); a training set this small would not be pre-trained on alone.
  auto a = args;
  a.insert(a.end(), {"--out", dir.file("own"), "--unlabelled", extra});
  const auto t = run_zhsenti(a);
  ASSERT_EQ(t.exit_code, 0) << t.err;
  EXPECT_EQ(rows_equal_to(dir.file("own"), "embedding.weight", tokens),
            static_cast<int>(tokens.size()));
  EXPECT_GE(rows_equal_to(dir.file("own"), "ngram_embedding.weight", bigrams),
            static_cast<int>(bigrams.size()) * 9 / 10);
  const auto summary = nlohmann::json::parse(t.out);
  const auto& stats = summary["pretrained"]["pretraining"];
  EXPECT_EQ(stats["texts"], 102) << t.out;
  EXPECT_EQ(stats["token_vectors"], tokens.size()) << t.out;
  EXPECT_EQ(stats["pair_vectors"], bigrams.size()) << t.out;

  a = args;
  a.insert(a.end(), {"--out", dir.file("small")});
  const auto small = run_zhsenti(a);
  ASSERT_EQ(small.exit_code, 0) << small.err;
  EXPECT_TRUE(nlohmann::json::parse(small.out)["pretrained"].is_null()) << small.out;

  a = args;
  a.insert(a.end(), {"--out", dir.file("missing"), "--unlabelled", dir.file("nowhere.txt")});
  const auto m = run_zhsenti(a);
  EXPECT_EQ(m.exit_code, 1);
  EXPECT_NE(m.err.find("nowhere.txt"), std::string::npos) << m.err;
  const auto lone = run_zhsenti({"train", "--train", train, "--dev", dev, "--out", dir.file("lone"),
                                 "--pretrain-epochs", "0", "--unlabelled", extra, "-q"});
  EXPECT_EQ(lone.exit_code, 1);
  EXPECT_NE(lone.err.find("--unlabelled needs --pretrain-epochs > 0"), std::string::npos)
      << lone.err;
}

TEST(EmbedE2E, BadInputsGiveClearErrors) {
  TempDir dir;
  const std::string bad = dir.write("bad.txt", "2 3\na 1 2 3\nb 1 2\n");
  const auto n = run_zhsenti({"embed", "neighbors", "--vectors", bad, "a"});
  EXPECT_EQ(n.exit_code, 1);
  EXPECT_NE(n.err.find("bad.txt:3: expected 3 values after 'b', found 2"), std::string::npos)
      << n.err;

  const std::string corpus = dir.write("c.txt", "a b c\n");
  const auto t = run_zhsenti({"embed", "train", "--corpus", corpus, "--pre-segmented", "--out",
                              dir.file("v.txt"), "--min-count", "5", "-q"});
  EXPECT_EQ(t.exit_code, 1);
  EXPECT_NE(t.err.find("min count (5)"), std::string::npos) << t.err;

  const auto m = run_zhsenti(
      {"embed", "train", "--corpus", corpus, "--out", dir.file("v.txt"), "--model", "glove", "-q"});
  EXPECT_EQ(m.exit_code, 1);
  EXPECT_NE(m.err.find("--model must be skipgram or cbow"), std::string::npos) << m.err;
}

}  // namespace
}  // namespace zhsenti::testing
