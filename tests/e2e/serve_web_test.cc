// The web page at GET / in headless Chromium (Debian package `chromium`): it must call the
// API, show the label with probability bars and colour every character by its attribution.
// Set ZHSENTI_KEEP_SCREENSHOT=DIR to keep the page's DOM and screenshot for a look.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "png_image.h"
#include "serve_fixture.h"
#include "serve_harness.h"

namespace zhsenti::testing {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::size_t count(const std::string& s, const std::string& needle) {
  std::size_t n = 0;
  for (auto pos = s.find(needle); pos != std::string::npos; pos = s.find(needle, pos + 1)) ++n;
  return n;
}

TEST_F(ServeE2E, WebPageShowsLabelBarsAndColouredWords) {
  ASSERT_TRUE(fs::exists("/usr/bin/chromium"))
      << "install the Debian package chromium (scripts/install-deps.sh)";
  ServerProcess server({"--model", model_a(), "--no-access-log"});
  const fs::path out = dir("web");
  fs::create_directories(out);
  // "房间太差了，很失望" percent-encoded: the page predicts what ?text= holds on load.
  const std::string url =
      "http://127.0.0.1:" + std::to_string(server.port()) +
      "/?text=%E6%88%BF%E9%97%B4%E5%A4%AA%E5%B7%AE%E4%BA%86%EF%BC%8C%E5%BE%88%E5%A4%B1%E6%9C%9B";
  // Virtual time runs only while no request is pending, so the dump waits for the fetch.
  const std::string cmd =
      "timeout 60 /usr/bin/chromium --headless --no-sandbox --disable-gpu --no-first-run "
      "--disable-background-networking --disable-component-update --disable-sync "
      "--hide-scrollbars --user-data-dir=" +
      (out / "profile").string() +
      " --virtual-time-budget=10000 --window-size=900,700 --screenshot=" +
      (out / "page.png").string() + " --dump-dom '" + url + "' > " + (out / "dom.html").string() +
      " 2>" + (out / "chromium.log").string();
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd << "\n" << slurp(out / "chromium.log");
  const std::string dom = slurp(out / "dom.html");
  if (const char* keep = std::getenv("ZHSENTI_KEEP_SCREENSHOT")) {
    fs::create_directories(keep);
    fs::copy(out / "dom.html", fs::path(keep) / "dom.html", fs::copy_options::overwrite_existing);
    fs::copy(out / "page.png", fs::path(keep) / "page.png", fs::copy_options::overwrite_existing);
  }

  EXPECT_NE(dom.find("data-state=\"done\""), std::string::npos) << dom;
  EXPECT_NE(dom.find("<strong id=\"label\">0</strong>"), std::string::npos)
      << "the negative label is shown";
  EXPECT_NE(dom.find("model_a · "), std::string::npos) << "the model name and version are shown";
  EXPECT_EQ(count(dom, "class=\"row"), 2u) << "one probability bar per label";
  EXPECT_EQ(count(dom, "class=\"tok\""), 9u) << "every character of the review, coloured";
  EXPECT_EQ(count(dom, "data-weight="), 9u);
  EXPECT_NE(dom.find("rgba(var(--pro)"), std::string::npos) << "some word supports the verdict";
  // The bar of the predicted label is wider than half.
  const std::string top =
      "row top\" data-label=\"0\"><span>0</span><div class=\"track\"><div class=\"bar\" "
      "style=\"width: ";
  const auto at = dom.find(top);
  ASSERT_NE(at, std::string::npos) << dom;
  EXPECT_GT(std::stod(dom.substr(at + top.size(), 8)), 50.0);

  // What a reader sees: the green winning bar and blue-tinted words are on screen.
  const auto img = eval::testing::PngImage::decode(slurp(out / "page.png"));
  EXPECT_EQ(img.width, 900u);
  std::size_t green = 0, blue = 0;
  for (std::size_t i = 0; i < static_cast<std::size_t>(img.width) * img.height; ++i) {
    const int r = img.rgba[i * 4], g = img.rgba[i * 4 + 1], b = img.rgba[i * 4 + 2];
    if (g > 140 && r < 60 && b < 110) ++green;
    if (b > 200 && r < 120 && g < 170) ++blue;
  }
  EXPECT_GT(green, 1000u) << "the probability bar of the predicted label";
  EXPECT_GT(blue, 500u) << "the button and the words that support the verdict";
}

}  // namespace
}  // namespace zhsenti::testing
