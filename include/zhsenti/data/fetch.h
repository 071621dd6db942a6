#pragma once
// Downloads the public data sets with their SHA-256 checksums.
//
// Each file goes to <dest>/<data set>/<file>. A file already there with the right checksum is
// left alone; otherwise it is downloaded (libcurl: http, https, file URLs), hashed while it
// streams into a temporary file, and renamed into place only when the checksum matches. A
// mismatch or an HTTP error leaves nothing behind, and a present file with a wrong checksum
// is removed before it is fetched again.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace zhsenti::data {

struct RemoteFile {
  std::string name;    // file name inside the data set folder
  std::string url;     // public, commit-pinned source
  std::string sha256;  // lower-case hex
};

struct RemoteDataset {
  std::string name;
  std::string description;
  std::vector<RemoteFile> files;
};

const std::vector<RemoteDataset>& remote_datasets();
// Throws Error(kNotFound) listing the known names.
const RemoteDataset& find_remote_dataset(std::string_view name);

struct FetchOptions {
  std::filesystem::path dest;  // empty: data_root()
  // Non-empty: every file is fetched from <url_base>/<file name> instead of its own URL
  // (a mirror, another branch, or file:///path/to/dir).
  std::string url_base;
  bool progress = true;  // a core/progress.h bar per file
};

enum class FetchStatus { kDownloaded, kAlreadyPresent, kReplaced };

struct FetchedFile {
  std::filesystem::path path;
  std::string url;
  FetchStatus status = FetchStatus::kDownloaded;
  std::uint64_t bytes = 0;
};

std::vector<FetchedFile> fetch_dataset(const RemoteDataset& dataset, const FetchOptions& options);

// Streams `url` into `target` (atomically) and checks its SHA-256; throws Error(kNotFound)
// for HTTP 404, Error(kIo) for other transfer failures and Error(kFormat) for a checksum
// mismatch, writing nothing in each case. Returns the number of bytes.
std::uint64_t download_file(const std::string& url, const std::filesystem::path& target,
                            std::string_view expected_sha256, bool progress);

}  // namespace zhsenti::data
