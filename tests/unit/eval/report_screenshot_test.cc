// Renders the HTML report in headless Chromium (Debian package `chromium`) and checks what a
// reader would see: the screenshot is a real 1200x1600 image with a varied, mostly light page
// and the blue confusion-matrix cells, and the rendered DOM holds every SVG chart.
// Set ZHSENTI_KEEP_REPORT=DIR to keep report.html and report.png for a look.

#include <gtest/gtest.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <set>

#include "png_image.h"
#include "report_fixture.h"
#include "zhsenti/core/file.h"

namespace zhsenti::eval {
namespace {

namespace fs = std::filesystem;

constexpr const char* kChromium = "/usr/bin/chromium";

std::string chromium_command(const fs::path& profile, const std::string& action, const fs::path& html,
                             const fs::path& log) {
  return fmt::format(
      "timeout 60 {} --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
      "--disable-background-networking --disable-component-update --disable-sync --hide-scrollbars "
      "--user-data-dir={} {} --window-size=1200,1600 file://{} 2>>{}",
      kChromium, profile.string(), action, html.string(), log.string());
}

std::size_t count(const std::string& s, const std::string& needle) {
  std::size_t n = 0;
  for (auto pos = s.find(needle); pos != std::string::npos; pos = s.find(needle, pos + 1)) ++n;
  return n;
}

class ReportScreenshotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("zhsenti_screenshot_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (const char* keep = std::getenv("ZHSENTI_KEEP_REPORT")) {
      fs::create_directories(keep);
      for (const char* f : {"report.html", "report.png"}) {
        if (fs::exists(dir_ / f)) fs::copy_file(dir_ / f, fs::path(keep) / f, fs::copy_options::overwrite_existing);
      }
    }
    fs::remove_all(dir_);
  }
  fs::path dir_;
};

TEST_F(ReportScreenshotTest, ChromiumRendersChartsAndTables) {
  ASSERT_TRUE(fs::exists(kChromium)) << "install the Debian package chromium (scripts/install-deps.sh)";
  const fs::path html = dir_ / "report.html";
  const fs::path png = dir_ / "report.png";
  const fs::path log = dir_ / "chromium.log";
  write_html_report(html, testing::sample_report(2));

  // One browser run writes the screenshot and prints the DOM after parsing and layout.
  const fs::path dom_file = dir_ / "dom.html";
  const std::string cmd =
      chromium_command(dir_ / "profile", "--screenshot=" + png.string() + " --dump-dom", html, log) + " > " +
      dom_file.string();
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd << "\n" << read_file(log);

  // The DOM after parsing and layout holds all four charts and their parts.
  const std::string dom = read_file(dom_file);
  EXPECT_EQ(count(dom, "<svg "), 4u);
  EXPECT_EQ(count(dom, "<g class=\"cell\">"), 4u);
  EXPECT_EQ(count(dom, "<polyline"), 5u);
  EXPECT_NE(dom.find("positive &lt;&amp;&gt;"), std::string::npos) << "labels arrive escaped, not as markup";

  const std::string bytes = read_file(png);
  EXPECT_GT(bytes.size(), 40'000u) << "a blank or near-blank page compresses far smaller";
  const auto img = testing::PngImage::decode(bytes);
  EXPECT_EQ(img.width, 1200u);
  EXPECT_EQ(img.height, 1600u);

  std::set<std::uint32_t> colours;
  std::size_t dark = 0, strong_blue = 0;
  const std::size_t pixels = static_cast<std::size_t>(img.width) * img.height;
  for (std::size_t i = 0; i < pixels; ++i) {
    const int r = img.rgba[i * 4], g = img.rgba[i * 4 + 1], b = img.rgba[i * 4 + 2];
    colours.insert(static_cast<std::uint32_t>((r << 16) | (g << 8) | b));
    if (r + g + b < 200) ++dark;                          // text
    if (b > 180 && r < 90 && g < 130) ++strong_blue;      // heat-map diagonal, bars, ROC line
  }
  EXPECT_GT(colours.size(), 200u) << "text, anti-aliasing and charts give many colours";
  EXPECT_GT(dark, pixels / 500) << "some text must be visible";
  EXPECT_LT(dark, pixels / 4) << "the page is light, not black";
  EXPECT_GT(strong_blue, 5000u) << "the confusion-matrix diagonal cells are strong blue";
}

}  // namespace
}  // namespace zhsenti::eval
