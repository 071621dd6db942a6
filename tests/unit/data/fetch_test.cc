// Downloads against a local HTTP server and file:// URLs; never the internet.
#include "zhsenti/data/fetch.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "local_http_server.h"
#include "zhsenti/core/error.h"
#include "zhsenti/core/file.h"
#include "zhsenti/core/sha256.h"

namespace zhsenti::data {
namespace {

namespace fs = std::filesystem;

class TempTree {
 public:
  TempTree() {
    std::string pattern = (fs::temp_directory_path() / "zhsenti_fetch_XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    root_ = pattern;
  }
  ~TempTree() { fs::remove_all(root_); }
  const fs::path& root() const { return root_; }
  fs::path write(const std::string& rel, const std::string& content) const {
    const fs::path p = root_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }

 private:
  fs::path root_;
};

// Leftover temporary files from a failed atomic write would start with '.'.
std::size_t files_in(const fs::path& dir) {
  if (!fs::exists(dir)) return 0;
  return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

RemoteDataset two_files(const std::string& a_content, const std::string& b_content) {
  return RemoteDataset{"demo", "test data",
                       {RemoteFile{"a.tsv", "unused", sha256_hex(a_content)},
                        RemoteFile{"b.csv", "unused", sha256_hex(b_content)}}};
}

TEST(Fetch, DownloadsOverHttpVerifiesAndSkipsWhatIsPresent) {
  TempTree server_dir, dest;
  server_dir.write("a.tsv", "label\ttext\n1\t好\n");
  server_dir.write("b.csv", "label,text\n0,差\n");
  testing::LocalHttpServer server(server_dir.root());
  const RemoteDataset dataset = two_files("label\ttext\n1\t好\n", "label,text\n0,差\n");
  FetchOptions options;
  options.dest = dest.root();
  options.url_base = server.url() + "/";
  options.progress = false;

  const auto first = fetch_dataset(dataset, options);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].status, FetchStatus::kDownloaded);
  EXPECT_EQ(first[0].url, server.url() + "/a.tsv");
  EXPECT_EQ(first[0].path, dest.root() / "demo" / "a.tsv");
  EXPECT_EQ(first[1].bytes, std::string("label,text\n0,差\n").size());
  EXPECT_EQ(read_file(dest.root() / "demo" / "b.csv"), "label,text\n0,差\n");
  EXPECT_EQ(server.requests(), 2);

  const auto second = fetch_dataset(dataset, options);
  EXPECT_EQ(second[0].status, FetchStatus::kAlreadyPresent);
  EXPECT_EQ(second[1].status, FetchStatus::kAlreadyPresent);
  EXPECT_EQ(server.requests(), 2);  // nothing downloaded again

  // A corrupted local copy is replaced.
  dest.write("demo/a.tsv", "corrupt");
  const auto third = fetch_dataset(dataset, options);
  EXPECT_EQ(third[0].status, FetchStatus::kReplaced);
  EXPECT_EQ(read_file(dest.root() / "demo" / "a.tsv"), "label\ttext\n1\t好\n");
  EXPECT_EQ(files_in(dest.root() / "demo"), 2u);
}

TEST(Fetch, ChecksumMismatchKeepsNothing) {
  TempTree server_dir, dest;
  server_dir.write("a.tsv", "tampered content\n");
  testing::LocalHttpServer server(server_dir.root());
  try {
    download_file(server.url() + "/a.tsv", dest.root() / "a.tsv", sha256_hex("original\n"), false);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kFormat);
    const std::string what = e.what();
    EXPECT_NE(what.find("checksum mismatch for " + server.url() + "/a.tsv"), std::string::npos);
    EXPECT_NE(what.find(sha256_hex("tampered content\n")), std::string::npos);
  }
  EXPECT_EQ(files_in(dest.root()), 0u);
}

TEST(Fetch, MismatchReplacingABadCopyLeavesNoBadFile) {
  TempTree server_dir, dest;
  server_dir.write("a.tsv", "tampered\n");
  server_dir.write("b.csv", "b\n");
  testing::LocalHttpServer server(server_dir.root());
  dest.write("demo/a.tsv", "stale and wrong");
  FetchOptions options;
  options.dest = dest.root();
  options.url_base = server.url();
  options.progress = false;
  EXPECT_THROW(fetch_dataset(two_files("original\n", "b\n"), options), Error);
  EXPECT_FALSE(fs::exists(dest.root() / "demo" / "a.tsv"));
  EXPECT_EQ(files_in(dest.root() / "demo"), 0u);
}

TEST(Fetch, Http404IsNotFound) {
  TempTree server_dir, dest;
  testing::LocalHttpServer server(server_dir.root());
  try {
    download_file(server.url() + "/missing.tsv", dest.root() / "missing.tsv", sha256_hex(""), true);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
    EXPECT_EQ(std::string(e.what()),
              "download failed: HTTP 404 for " + server.url() + "/missing.tsv");
  }
  EXPECT_EQ(files_in(dest.root()), 0u);
}

TEST(Fetch, ConnectionRefusedIsAnIoError) {
  TempTree dest;
  int port = 0;
  {
    TempTree empty;
    testing::LocalHttpServer server(empty.root());
    port = std::stoi(server.url().substr(server.url().rfind(':') + 1));
  }  // the port is closed now
  try {
    download_file("http://127.0.0.1:" + std::to_string(port) + "/a", dest.root() / "a",
                  sha256_hex(""), false);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kIo);
  }
  EXPECT_EQ(files_in(dest.root()), 0u);
}

TEST(Fetch, FileUrls) {
  TempTree mirror, dest;
  const std::string content = "label,text\n1,好\n";
  mirror.write("a.tsv", content);
  EXPECT_EQ(download_file("file://" + (mirror.root() / "a.tsv").string(), dest.root() / "a.tsv",
                          sha256_hex(content), false),
            content.size());
  EXPECT_EQ(read_file(dest.root() / "a.tsv"), content);
  try {
    download_file("file://" + (mirror.root() / "none").string(), dest.root() / "none",
                  sha256_hex(""), false);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
  }
}

TEST(Fetch, CatalogMatchesTheSharedCopies) {
  const char* env = std::getenv("ZHSENTI_DATA");
  const fs::path shared = env ? fs::path(env) : fs::path(ZHSENTI_SOURCE_DIR) / ".." / "shared" / "data";
  ASSERT_EQ(remote_datasets().size(), 3u);
  for (const auto& dataset : remote_datasets()) {
    EXPECT_FALSE(dataset.files.empty());
    for (const auto& file : dataset.files) {
      SCOPED_TRACE(dataset.name + "/" + file.name);
      EXPECT_TRUE(file.url.starts_with("https://raw.githubusercontent.com/")) << file.url;
      EXPECT_TRUE(file.url.ends_with("/" + file.name)) << file.url;
      EXPECT_EQ(sha256_file_hex(shared / dataset.name / file.name), file.sha256);
    }
  }
  EXPECT_EQ(find_remote_dataset("waimai_10k").files.size(), 1u);
  try {
    find_remote_dataset("imdb");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "unknown data set 'imdb' (known: chnsenticorp, waimai_10k, smp2020_ewect)");
  }
}

TEST(Fetch, FromAFileMirrorOfTheSharedFolder) {
  const char* env = std::getenv("ZHSENTI_DATA");
  const fs::path shared = env ? fs::path(env) : fs::path(ZHSENTI_SOURCE_DIR) / ".." / "shared" / "data";
  TempTree dest;
  FetchOptions options;
  options.dest = dest.root();
  options.url_base = "file://" + fs::absolute(shared / "chnsenticorp").string();
  options.progress = false;
  const auto files = fetch_dataset(find_remote_dataset("chnsenticorp"), options);
  ASSERT_EQ(files.size(), 3u);
  for (const auto& f : files) EXPECT_EQ(f.status, FetchStatus::kDownloaded);
  EXPECT_EQ(sha256_file_hex(dest.root() / "chnsenticorp" / "train.tsv"),
            find_remote_dataset("chnsenticorp").files[0].sha256);
}

}  // namespace
}  // namespace zhsenti::data
