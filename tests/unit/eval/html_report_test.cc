#include "zhsenti/eval/html_report.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cstdlib>

#include "report_fixture.h"
#include "zhsenti/core/file.h"

namespace zhsenti::eval {
namespace {

std::size_t count(const std::string& s, const std::string& needle) {
  std::size_t n = 0;
  for (auto pos = s.find(needle); pos != std::string::npos; pos = s.find(needle, pos + 1)) ++n;
  return n;
}

TEST(HtmlReport, ContainsEverySectionAsInlineSvg) {
  const std::string html = render_html_report(testing::sample_report(2));
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  // Confusion matrix, ROC curve, loss and score curves.
  EXPECT_EQ(count(html, "<svg "), 4u);
  EXPECT_EQ(count(html, "</svg>"), 4u);
  EXPECT_EQ(count(html, "<g class=\"cell\">"), 4u);
  EXPECT_NE(html.find("ROC curve"), std::string::npos);
  EXPECT_NE(html.find("Dev accuracy and macro F1"), std::string::npos);
  EXPECT_EQ(count(html, "<tr class=\"best\">"), 1u);
  EXPECT_EQ(count(html, "<polyline"), 5u);  // ROC + train/dev loss + accuracy/F1
  // Headline numbers are the metrics' own.
  const auto& m = testing::sample_report(2).metrics;
  EXPECT_NE(html.find(fmt::format("{:.2f}%", m.accuracy * 100)), std::string::npos);
  EXPECT_NE(html.find(fmt::format("{:.4f}", m.macro.f1)), std::string::npos);
}

TEST(HtmlReport, IsSelfContained) {
  const std::string html = render_html_report(testing::sample_report(3));
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("href="), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  // The only URL is the SVG namespace.
  const std::string svg_ns = "\"http://www.w3.org/2000/svg\"";
  for (auto pos = html.find("http"); pos != std::string::npos; pos = html.find("http", pos + 1)) {
    ASSERT_GT(pos, 0u);
    EXPECT_EQ(html.compare(pos - 1, svg_ns.size(), svg_ns), 0) << html.substr(pos, 60);
  }
}

TEST(HtmlReport, EscapesAllCallerText) {
  const std::string html = render_html_report(testing::sample_report(3));
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_EQ(html.find("<evaluation>"), std::string::npos);
  EXPECT_NE(html.find("neutral &quot;&lt;b&gt;&amp;&quot;"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("<title>ChnSentiCorp test &lt;evaluation&gt; &amp; report</title>"), std::string::npos);
  // No ROC section for 3 classes; the OvR AUC still shows as a card.
  EXPECT_EQ(count(html, "<svg "), 3u);
  EXPECT_NE(html.find("ROC AUC (OvR)"), std::string::npos);
}

TEST(HtmlReport, WithoutHistoryOrProbabilities) {
  ReportInput in;
  in.metrics = compute_metrics(std::vector<std::int32_t>{0, 1}, std::vector<std::int32_t>{0, 0}, {},
                               std::vector<std::string>{"a", "b"});
  const std::string html = render_html_report(in);
  EXPECT_EQ(count(html, "<svg "), 1u);
  EXPECT_NE(html.find("n/a"), std::string::npos);
  EXPECT_NE(html.find("<section class=\"panel notes\">"), std::string::npos);
}

TEST(HtmlReport, WritesFileAtomically) {
  const auto path = std::filesystem::temp_directory_path() / ("zhsenti_report_" + std::to_string(::getpid()) + ".html");
  const auto in = testing::sample_report(2);
  write_html_report(path, in);
  EXPECT_EQ(read_file(path), render_html_report(in));
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace zhsenti::eval
