#include <curl/curl.h>
#include <fmt/format.h>

#include <exception>
#include <mutex>
#include <optional>

#include "zhsenti/core/atomic_file.h"
#include "zhsenti/core/error.h"
#include "zhsenti/core/progress.h"
#include "zhsenti/core/sha256.h"
#include "zhsenti/data/fetch.h"

namespace zhsenti::data {
namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw Error(ErrorCode::kIo, "libcurl initialisation failed");
    }
  });
}

struct CurlHandle {
  CURL* curl = curl_easy_init();
  ~CurlHandle() {
    if (curl != nullptr) curl_easy_cleanup(curl);
  }
};

// State shared with the write callback; exceptions cannot cross libcurl, so they are kept
// here and rethrown after curl_easy_perform returns.
struct Transfer {
  CURL* curl;
  AtomicFileWriter* writer;
  Sha256 hasher;
  std::uint64_t bytes = 0;
  bool show_progress;
  std::string label;
  std::optional<Progress> progress;
  std::exception_ptr error;
};

std::size_t on_data(char* data, std::size_t size, std::size_t count, void* user) {
  auto& t = *static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  try {
    if (t.show_progress && !t.progress) {
      curl_off_t total = -1;
      curl_easy_getinfo(t.curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &total);
      t.progress.emplace(t.label, total > 0 ? static_cast<std::uint64_t>(total) : 0, "bytes");
    }
    const std::string_view chunk(data, n);
    t.writer->write(chunk);
    t.hasher.update(chunk);
    t.bytes += n;
    if (t.progress) t.progress->advance(n);
  } catch (...) {
    t.error = std::current_exception();
    return 0;  // makes libcurl abort with CURLE_WRITE_ERROR
  }
  return n;
}

}  // namespace

std::uint64_t download_file(const std::string& url, const std::filesystem::path& target,
                            std::string_view expected_sha256, bool progress) {
  global_init();
  CurlHandle handle;
  if (handle.curl == nullptr) throw Error(ErrorCode::kIo, "libcurl: cannot create a handle");
  CURL* curl = handle.curl;

  AtomicFileWriter writer(target);
  Transfer transfer{curl, &writer, {}, 0, progress, target.filename().string(), {}, {}};
  char curl_error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https,file");
  curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 10L);
  curl_easy_setopt(curl, CURLOPT_FAILONERROR, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 30L);
  // Give up when fewer than 1 byte/s arrive for a minute (a stalled connection).
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, 60L);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "zhsenti");
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_error);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);

  const CURLcode rc = curl_easy_perform(curl);
  if (transfer.progress) transfer.progress->finish();
  if (transfer.error) std::rethrow_exception(transfer.error);
  if (rc != CURLE_OK) {
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    if (rc == CURLE_HTTP_RETURNED_ERROR) {
      throw Error(status == 404 ? ErrorCode::kNotFound : ErrorCode::kIo,
                  fmt::format("download failed: HTTP {} for {}", status, url));
    }
    const std::string detail = curl_error[0] != '\0' ? curl_error : curl_easy_strerror(rc);
    throw Error(rc == CURLE_FILE_COULDNT_READ_FILE ? ErrorCode::kNotFound : ErrorCode::kIo,
                fmt::format("download failed: {}: {}", url, detail));
  }
  const std::string actual = Sha256::to_hex(transfer.hasher.finish());
  if (actual != expected_sha256) {
    throw Error(ErrorCode::kFormat,
                fmt::format("checksum mismatch for {}: expected sha256 {}, got {} ({} bytes); "
                            "nothing was written to {}",
                            url, expected_sha256, actual, transfer.bytes, target.string()));
  }
  writer.commit();
  return transfer.bytes;
}

}  // namespace zhsenti::data
