#include "zhsenti/serve/request.h"

#include <gtest/gtest.h>

namespace zhsenti::serve {
namespace {

const RequestLimits kLimits{3, 5};

void expect_error(std::string_view body, int status, const std::string& code) {
  try {
    (void)parse_predict_request(body, kLimits);
    ADD_FAILURE() << "accepted: " << body;
  } catch (const ApiError& e) {
    EXPECT_EQ(e.status(), status) << body << ": " << e.what();
    EXPECT_EQ(e.code(), code) << body << ": " << e.what();
  }
}

TEST(PredictRequest, SingleAndBatch) {
  auto r = parse_predict_request(R"({"text": "很好"})", kLimits);
  EXPECT_FALSE(r.batch);
  EXPECT_EQ(r.texts, std::vector<std::string>{"很好"});
  r = parse_predict_request(R"({"texts": ["a", "很差"]})", kLimits);
  EXPECT_TRUE(r.batch);
  EXPECT_EQ(r.texts.size(), 2u);
}

TEST(PredictRequest, ClientErrorsHaveStatusAndCode) {
  expect_error("", 400, "invalid_json");
  expect_error("{\"text\": ", 400, "invalid_json");
  expect_error("{\"text\": \"\xff\"}", 400, "invalid_utf8");
  expect_error(R"({"text": "a", "n": 8e8888})", 400, "invalid_json");  // out of double's range
  expect_error("[1]", 422, "invalid_type");
  expect_error("{}", 422, "missing_field");
  expect_error(R"({"text": "a", "texts": ["b"]})", 422, "ambiguous_input");
  expect_error(R"({"text": 3})", 422, "invalid_type");
  expect_error(R"({"texts": "a"})", 422, "invalid_type");
  expect_error(R"({"texts": ["a", null]})", 422, "invalid_type");
  expect_error(R"({"texts": []})", 422, "empty_texts");
  expect_error(R"({"text": ""})", 422, "empty_text");
  expect_error("{\"text\": \" \\u3000\\n\"}", 422, "empty_text");
  expect_error(R"({"text": "a", "lang": "zh"})", 422, "unknown_field");
  expect_error(R"({"texts": ["a", "b", "c", "d"]})", 413, "too_many_texts");
  expect_error(R"({"text": "一二三四五六"})", 413, "text_too_long");
}

TEST(PredictRequest, LimitCountsCharactersNotBytes) {
  EXPECT_NO_THROW(parse_predict_request(R"({"text": "一二三四五"})", kLimits));
}

TEST(FeedbackRequest, TextOrPredictionId) {
  auto f = parse_feedback_request(R"({"label": "pos", "text": "好"})", kLimits);
  EXPECT_EQ(f.label, "pos");
  EXPECT_EQ(*f.text, "好");
  f = parse_feedback_request(R"({"label": 1, "prediction_id": "x-1"})", kLimits);
  EXPECT_EQ(f.label, "1");
  EXPECT_EQ(*f.prediction_id, "x-1");
  EXPECT_THROW(parse_feedback_request(R"({"label": "pos"})", kLimits), ApiError);
  EXPECT_THROW(parse_feedback_request(R"({"text": "好"})", kLimits), ApiError);
  EXPECT_THROW(parse_feedback_request(R"({"label": [1], "text": "好"})", kLimits), ApiError);
}

TEST(ReloadRequest, EmptyOrModel) {
  EXPECT_FALSE(parse_reload_request("").has_value());
  EXPECT_FALSE(parse_reload_request("{}").has_value());
  EXPECT_EQ(*parse_reload_request(R"({"model": "/m"})"), "/m");
  EXPECT_THROW(parse_reload_request(R"({"model": 1})"), ApiError);
}

TEST(ErrorBody, ShapeAndEscaping) {
  const auto j = nlohmann::json::parse(error_body("bad", "say \"hi\" \xff"));
  EXPECT_EQ(j["error"]["code"], "bad");
  EXPECT_NE(j["error"]["message"].get<std::string>().find("\"hi\""), std::string::npos);
}

TEST(QueryFlag, Values) {
  EXPECT_TRUE(query_flag("1"));
  EXPECT_TRUE(query_flag("true"));
  EXPECT_TRUE(query_flag(""));
  EXPECT_FALSE(query_flag("0"));
  EXPECT_FALSE(query_flag("false"));
}

}  // namespace
}  // namespace zhsenti::serve
