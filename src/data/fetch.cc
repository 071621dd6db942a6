#include "zhsenti/data/fetch.h"

#include <fmt/format.h>

#include "zhsenti/core/error.h"
#include "zhsenti/core/sha256.h"
#include "zhsenti/data/dataset.h"

namespace zhsenti::data {
namespace fs = std::filesystem;
namespace {

// Raw files pinned to the commits the copies in ../shared/data were taken from (their git
// blob ids match), so a moved branch cannot change the bytes under the checksums.
constexpr std::string_view kChnSentiCorp =
    "https://raw.githubusercontent.com/duanruixue/chnsenticorp/"
    "348c5c68b8648a10af56aae0ea44e798fd4dafa4/";
constexpr std::string_view kWaimai =
    "https://raw.githubusercontent.com/SophonPlus/ChineseNlpCorpus/"
    "a0b781d72158bde242c0626c9e354d2b328865ff/datasets/waimai_10k/";
constexpr std::string_view kSmpUsual =
    "https://raw.githubusercontent.com/altel2003/"
    "Social-media-sentiment-analysis-based-on-BERT-model/"
    "6e8b10b77ad59420fec9bffc214d6f1892d09988/DataSet/";
constexpr std::string_view kSmpVirus =
    "https://raw.githubusercontent.com/BrownSweater/BERT_SMP2020-EWECT/"
    "e928cec001824668999ed02326aacbea0d369563/data/raw/";

RemoteFile remote(std::string_view base, std::string name, std::string sha256) {
  return RemoteFile{name, std::string(base) + name, std::move(sha256)};
}

std::string join_url(std::string_view base, std::string_view name) {
  while (base.ends_with('/')) base.remove_suffix(1);
  return fmt::format("{}/{}", base, name);
}

}  // namespace

const std::vector<RemoteDataset>& remote_datasets() {
  static const std::vector<RemoteDataset> kDatasets = {
      {"chnsenticorp",
       "ChnSentiCorp hotel/laptop/book reviews, 9600/1200/1200, labels 0/1",
       {remote(kChnSentiCorp, "train.tsv",
               "b85b8318588fcf68f58589a923a09b5bf09000e8f066388bb2a92dab7f3ba787"),
        remote(kChnSentiCorp, "dev.tsv",
               "1ecfbc62abe99b7170bdeacd64490febf150bc5a583701e7d9e72900f775059c"),
        remote(kChnSentiCorp, "test.tsv",
               "f47c7d28989b1de30634729327f8f90c9a203d337136ef982c9c14cc9ef33392")}},
      {"waimai_10k",
       "food-delivery reviews, 11987 rows, labels 0/1 (about 2:1)",
       {remote(kWaimai, "waimai_10k.csv",
               "b8b5c11c00b51578d35937fca56e03a126b45381f1ea4b22893237cb377a26fe")}},
      {"smp2020_ewect",
       "SMP2020-EWECT Weibo emotions (6 classes), usual 27768/2000/5000, virus 8606/2000/3000",
       {remote(kSmpUsual, "usual_train.csv",
               "116eac920fd958f94f05c99a75dab552e59981546dcf349c8c5d846829fe73f8"),
        remote(kSmpUsual, "usual_eval_labeled.csv",
               "484d7acba39fed05229bc95178e0522def6cdbc429c40ec052cae30e9a7c98d1"),
        remote(kSmpUsual, "usual_test_labeled.csv",
               "5f2465d5d4ea0e630f359343d55ace41299ffe69ce32f18da19f6515bd4dccc6"),
        remote(kSmpVirus, "virus_train.txt",
               "1962fac5476da80a344c0b96bf091b92d5cd265c4989f84a4cc872ec9e8df9cf"),
        remote(kSmpVirus, "virus_eval_labeled.txt",
               "a60dd95652fb939db762735f5083d66120fbf494d4c1267f24065256c40f3476"),
        remote(kSmpVirus, "virus_test_labeled.txt",
               "39baab996f18c62c6b6e81191dc9c3b75b334547cf28124ccd55a199be24bc70")}},
  };
  return kDatasets;
}

const RemoteDataset& find_remote_dataset(std::string_view name) {
  std::string known;
  for (const auto& dataset : remote_datasets()) {
    if (dataset.name == name) return dataset;
    known += (known.empty() ? "" : ", ") + dataset.name;
  }
  throw Error(ErrorCode::kNotFound,
              fmt::format("unknown data set '{}' (known: {})", name, known));
}

std::vector<FetchedFile> fetch_dataset(const RemoteDataset& dataset, const FetchOptions& options) {
  const fs::path dir = (options.dest.empty() ? data_root() : options.dest) / dataset.name;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    throw Error(ErrorCode::kIo, fmt::format("{}: cannot create directory: {}", dir.string(),
                                            ec.message()));
  }
  std::vector<FetchedFile> fetched;
  for (const auto& file : dataset.files) {
    FetchedFile result;
    result.path = dir / file.name;
    result.url = options.url_base.empty() ? file.url : join_url(options.url_base, file.name);
    if (fs::exists(result.path)) {
      if (sha256_file_hex(result.path) == file.sha256) {
        result.status = FetchStatus::kAlreadyPresent;
        result.bytes = fs::file_size(result.path);
        fetched.push_back(std::move(result));
        continue;
      }
      if (!fs::remove(result.path, ec) || ec) {
        throw Error(ErrorCode::kIo,
                    fmt::format("{}: wrong checksum and cannot be removed: {}",
                                result.path.string(), ec.message()));
      }
      result.status = FetchStatus::kReplaced;
    }
    result.bytes = download_file(result.url, result.path, file.sha256, options.progress);
    fetched.push_back(std::move(result));
  }
  return fetched;
}

}  // namespace zhsenti::data
