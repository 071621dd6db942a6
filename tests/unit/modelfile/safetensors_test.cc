#include "zhsenti/modelfile/safetensors.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <tuple>

#include "temp_dir.h"
#include "zhsenti/core/error.h"
#include "zhsenti/core/file.h"

namespace zhsenti::modelfile {
namespace {

using nlohmann::json;

std::string le64(std::uint64_t n) {
  std::string s(8, '\0');
  for (int i = 0; i < 8; ++i) s[static_cast<std::size_t>(i)] = static_cast<char>((n >> (8 * i)) & 0xFF);
  return s;
}

// A file from a hand-written header and a buffer of `buffer_size` zero bytes.
std::string make_file(const std::string& header, std::size_t buffer_size) {
  return le64(header.size()) + header + std::string(buffer_size, '\0');
}

std::string parse_error(const std::string& bytes) {
  try {
    SafetensorsFile::parse(bytes, "m.safetensors");
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kFormat) << e.what();
    return e.what();
  }
  return "<no error>";
}

testing::AssertionResult contains(const std::string& haystack, const std::string& needle) {
  if (haystack.find(needle) != std::string::npos) return testing::AssertionSuccess();
  return testing::AssertionFailure() << "\"" << haystack << "\" does not contain \"" << needle << "\"";
}

TEST(Safetensors, RoundTripsDtypesShapesAndMetadata) {
  const std::vector<float> w = {0.1f, -2.5f, 3e-30f, 7.0f, -0.0f, 1e30f};
  const std::vector<std::int8_t> q = {-128, 0, 127};
  const std::vector<std::int32_t> ids = {1, -2};
  const std::vector<float> scalar = {42.0f};
  SafetensorsWriter writer;
  writer.add_i8("q", {3}, q);
  writer.add_f32("encoder.w", {2, 3}, w);
  writer.add_i32("ids", {2}, ids);
  writer.add_f32("scalar", {}, scalar);
  writer.add_f32("empty", {0, 4}, {});
  writer.set_metadata("format", "pt");
  const std::string bytes = writer.serialize();

  const SafetensorsFile f = SafetensorsFile::parse(bytes, "mem");
  ASSERT_EQ(f.tensors().size(), 5u);
  EXPECT_EQ(f.metadata().at("format"), "pt");
  EXPECT_EQ(f.to_f32("encoder.w"), w);
  EXPECT_EQ(f.at("encoder.w").shape, (Shape{2, 3}));
  EXPECT_EQ(f.to_f32("scalar"), scalar);
  EXPECT_TRUE(f.at("scalar").shape.empty());
  EXPECT_TRUE(f.to_f32("empty").empty());
  std::vector<std::int8_t> q2(3);
  f.copy_bytes("q", DType::kI8, std::as_writable_bytes(std::span(q2)));
  EXPECT_EQ(q2, q);
  std::vector<std::int32_t> ids2(2);
  f.copy_bytes("ids", DType::kI32, std::as_writable_bytes(std::span(ids2)));
  EXPECT_EQ(ids2, ids);

  // Header ends on an 8-byte boundary; tensors are laid out by element size, largest first,
  // so each is aligned to its element size.
  std::uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(bytes[static_cast<std::size_t>(i)]);
  EXPECT_EQ((8 + n) % 8, 0u);
  for (const auto& t : f.tensors()) EXPECT_EQ(t.begin % dtype_size(t.dtype), 0u) << t.name;
  EXPECT_EQ(f.at("q").end, bytes.size() - 8 - n) << "1-byte tensor comes last";
}

TEST(Safetensors, ConvertsHalfAndBfloat16) {
  EXPECT_EQ(f16_to_f32(0x3C00), 1.0f);
  EXPECT_EQ(f16_to_f32(0xC000), -2.0f);
  EXPECT_EQ(f16_to_f32(0x7BFF), 65504.0f);
  EXPECT_EQ(f16_to_f32(0x0001), std::ldexp(1.0f, -24));  // smallest subnormal
  EXPECT_EQ(f16_to_f32(0x03FF), std::ldexp(1023.0f, -24));
  EXPECT_EQ(f16_to_f32(0x0400), std::ldexp(1.0f, -14));
  EXPECT_TRUE(std::isinf(f16_to_f32(0x7C00)));
  EXPECT_TRUE(std::isnan(f16_to_f32(0x7E00)));
  EXPECT_TRUE(std::signbit(f16_to_f32(0x8000)));
  EXPECT_EQ(bf16_to_f32(0x3F80), 1.0f);
  EXPECT_EQ(bf16_to_f32(0xC0A0), -5.0f);

  const std::vector<std::uint16_t> half = {0x3C00, 0x3555};  // 1, 0.333251953125
  SafetensorsWriter writer;
  writer.add("h", DType::kF16, {2}, std::as_bytes(std::span(half)));
  const auto f = SafetensorsFile::parse(writer.serialize(), "mem");
  EXPECT_EQ(f.to_f32("h"), (std::vector<float>{1.0f, 0.333251953125f}));
}

// A NaN or infinite weight would make every prediction NaN: the reader refuses it by name,
// whatever the float type it is stored in.
TEST(Safetensors, NonFiniteValuesAreRefusedNamingTheTensor) {
  const std::vector<float> good = {0.5f, -1.0f};
  const std::vector<float> nan = {0.5f, std::nanf("")};
  const std::vector<float> inf = {-HUGE_VALF, 1.0f};
  const std::vector<std::uint16_t> half_inf = {0x3C00, 0x7C00};
  SafetensorsWriter writer;
  writer.add_f32("fine", {2}, good);
  writer.add_f32("encoder.w_ih", {2}, nan);
  writer.add_f32("head.bias", {2}, inf);
  writer.add("half", DType::kF16, {2}, std::as_bytes(std::span(half_inf)));
  const auto f = SafetensorsFile::parse(writer.serialize(), "model.safetensors");
  EXPECT_EQ(f.to_f32("fine"), good);
  for (const auto& [name, value, element] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"encoder.w_ih", "nan", "element 1"},
           {"head.bias", "-inf", "element 0"},
           {"half", "inf", "element 1"}}) {
    try {
      std::vector<float> out(2);
      f.copy_f32(name, out);
      FAIL() << name << " accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kFormat);
      const std::string what = e.what();
      EXPECT_NE(what.find("model.safetensors: tensor \"" + name + "\""), std::string::npos) << what;
      EXPECT_NE(what.find("non-finite value (" + value + ")"), std::string::npos) << what;
      EXPECT_NE(what.find(element), std::string::npos) << what;
    }
    EXPECT_THROW(f.to_f32(name), Error);
  }
}

TEST(Safetensors, WriterRejectsBadTensors) {
  SafetensorsWriter w;
  const std::vector<float> v(6);
  EXPECT_THROW(w.add_f32("a", {2, 2}, v), Error);
  EXPECT_THROW(w.add_f32("", {6}, v), Error);
  EXPECT_THROW(w.add_f32("__metadata__", {6}, v), Error);
  EXPECT_THROW(w.add_f32("a", {-1, -6}, v), Error);
  w.add_f32("a", {6}, v);
  EXPECT_THROW(w.add_f32("a", {6}, v), Error);
}

TEST(Safetensors, ReaderErrorsNameTensorAndValues) {
  EXPECT_TRUE(contains(parse_error("abc"), "m.safetensors: file is 3 bytes, too short"));
  EXPECT_TRUE(contains(parse_error(le64(100) + "{}"), "header length 100 exceeds the 2 bytes after the length field"));
  EXPECT_TRUE(contains(parse_error(le64(200'000'000) + "{}"), "header length 200000000 exceeds the limit"));
  EXPECT_TRUE(contains(parse_error(make_file("{\"a\": ", 0)), "not valid JSON"));
  EXPECT_TRUE(contains(parse_error(make_file("[1,2]", 0)), "header is a JSON array, not an object"));
  EXPECT_TRUE(contains(parse_error(make_file(R"({"a":{"dtype":"F8","shape":[1],"data_offsets":[0,1]}})", 1)),
                       "tensor \"a\": unknown dtype \"F8\""));
  EXPECT_TRUE(contains(parse_error(make_file(R"({"a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,20]}})", 20)),
                       "tensor \"a\": shape [2, 3] of F32 needs 6 x 4 bytes, but data_offsets [0, 20] span 20"));
  EXPECT_TRUE(contains(parse_error(make_file(R"({"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", 8)),
                       "tensor \"a\": each shape dimension must be a non-negative integer, got -2"));
  EXPECT_TRUE(contains(parse_error(make_file(R"({"a":{"dtype":"F32","shape":[1.5],"data_offsets":[0,8]}})", 8)),
                       "each shape dimension must be a non-negative integer, got 1.5"));
  EXPECT_TRUE(contains(parse_error(make_file(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}})", 8)),
                       "data_offsets [8, 4] end before begin"));
  EXPECT_TRUE(contains(parse_error(make_file(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0]}})", 4)),
                       "\"data_offsets\" must be [begin, end]"));
  EXPECT_TRUE(contains(
      parse_error(make_file(R"({"a":{"dtype":"U8","shape":[4294967296,4294967296],"data_offsets":[0,0]}})", 0)),
      "shape [4294967296,4294967296] overflows"));
  EXPECT_TRUE(contains(
      parse_error(make_file(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"extra":1}})", 4)),
      "tensor \"a\": unknown field \"extra\""));
  EXPECT_TRUE(contains(parse_error(make_file(R"({"a":{"shape":[1],"data_offsets":[0,4]}})", 4)),
                       "missing or non-string \"dtype\""));
  EXPECT_TRUE(contains(parse_error(make_file(R"({"a":[1]})", 4)), "tensor \"a\": entry is not an object"));
  EXPECT_TRUE(contains(parse_error(make_file(R"({"":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})", 4)),
                       "m.safetensors: empty tensor name"));
  EXPECT_TRUE(contains(
      parse_error(make_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                            R"("b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})", 12)),
      "tensor \"b\" data_offsets [4, 12] overlap tensor \"a\" [0, 8]"));
  EXPECT_TRUE(contains(
      parse_error(make_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                            R"("b":{"dtype":"F32","shape":[2],"data_offsets":[12,20]}})", 20)),
      "tensor \"b\" data_offsets [12, 20] leave a gap of 4 bytes after offset 8"));
  EXPECT_TRUE(contains(
      parse_error(make_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                            R"("a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", 8)),
      "header names \"a\" twice"));
  EXPECT_TRUE(contains(parse_error(make_file(R"({"__metadata__":{"k":1}})", 0)),
                       "__metadata__ value of \"k\" is not a string: 1"));
  EXPECT_TRUE(contains(parse_error(make_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", 9)),
                       "data buffer is 9 bytes but the tensors cover 8 (trailing bytes)"));
  EXPECT_TRUE(contains(parse_error(make_file("{\"\xff\": 1}", 0)), "not valid JSON"));
}

TEST(Safetensors, TruncatedOrTamperedRealFileIsRejected) {
  const std::vector<float> w(10, 1.0f);
  SafetensorsWriter writer;
  writer.add_f32("w", {2, 5}, w);
  const std::string good = writer.serialize();
  ASSERT_NO_THROW(SafetensorsFile::parse(good, "m"));
  EXPECT_TRUE(contains(parse_error(good.substr(0, good.size() - 1)),
                       "data buffer is 39 bytes but the tensors cover 40 (truncated file)"));
  EXPECT_TRUE(contains(parse_error(good.substr(0, 20)), "exceeds the 12 bytes after the length field"));
  std::string tampered = good;
  const auto pos = tampered.find("[2,5]");
  ASSERT_NE(pos, std::string::npos);
  tampered.replace(pos, 5, "[5,5]");
  EXPECT_TRUE(contains(parse_error(tampered), "tensor \"w\": shape [5, 5] of F32 needs 25 x 4 bytes"));
}

TEST(Safetensors, AccessorsReportMisuse) {
  const std::vector<float> w(4);
  const std::vector<std::int8_t> q(4);
  SafetensorsWriter writer;
  writer.add_f32("w", {4}, w);
  writer.add_i8("q", {4}, q);
  const auto f = SafetensorsFile::parse(writer.serialize(), "m.st");
  try {
    (void)f.at("nope");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
    EXPECT_STREQ(e.what(), "m.st: no tensor named \"nope\"");
  }
  EXPECT_EQ(f.find("nope"), nullptr);
  std::vector<float> small(3);
  EXPECT_THROW(f.copy_f32("w", small), Error);
  EXPECT_THROW(f.to_f32("q"), Error);
  std::vector<std::int8_t> out(4);
  EXPECT_THROW(f.copy_bytes("q", DType::kU8, std::as_writable_bytes(std::span(out))), Error);
}

class SafetensorsFileTest : public TempDirTest {};

// Reads what the writer produced with tools/read_safetensors.py (Python json + struct only):
// an implementation of the specification that shares no code with ours.
TEST_F(SafetensorsFileTest, IndependentPythonReaderAgrees) {
  std::vector<float> w(3 * 7);
  for (std::size_t i = 0; i < w.size(); ++i) w[i] = static_cast<float>(i) * 0.37f - 3.1f;
  const std::vector<std::int8_t> q = {-7, 0, 5, 127};
  const std::vector<float> b = {1e-7f, -1e7f};
  SafetensorsWriter writer;
  writer.add_i8("quant.q", {2, 2}, q);
  writer.add_f32("layer.weight", {3, 7}, w);
  writer.add_f32("layer.bias", {2}, b);
  writer.set_metadata("zhsenti", "test \"quoted\" ü");
  const auto path = dir_ / "model.safetensors";
  writer.write(path);

  const std::string cmd = "/usr/bin/python3 " ZHSENTI_SOURCE_DIR "/tools/read_safetensors.py " + path.string();
  std::FILE* pipe = ::popen(cmd.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
  ASSERT_EQ(::pclose(pipe), 0) << out;
  const json j = json::parse(out);
  EXPECT_EQ(j["metadata"]["zhsenti"], "test \"quoted\" ü");
  const auto& t = j["tensors"];
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t["layer.weight"]["dtype"], "F32");
  EXPECT_EQ(t["layer.weight"]["shape"], json::array({3, 7}));
  ASSERT_EQ(t["layer.weight"]["values"].size(), w.size());
  for (std::size_t i = 0; i < w.size(); ++i) {
    EXPECT_EQ(t["layer.weight"]["values"][i].get<double>(), static_cast<double>(w[i])) << i;
  }
  EXPECT_EQ(t["layer.bias"]["values"][0].get<double>(), static_cast<double>(b[0]));
  EXPECT_EQ(t["layer.bias"]["values"][1].get<double>(), static_cast<double>(b[1]));
  EXPECT_EQ(t["quant.q"]["dtype"], "I8");
  EXPECT_EQ(t["quant.q"]["values"], json::array({-7, 0, 5, 127}));

  // And ours reads the file back from disk identically.
  const auto f = SafetensorsFile::read(path);
  EXPECT_EQ(f.to_f32("layer.weight"), w);
  EXPECT_EQ(read_file(path), writer.serialize());
}

TEST_F(SafetensorsFileTest, ReadsAFileWrittenByPython) {
  // A file laid out by Python's struct: F64 and F16 tensors plus metadata, header padded
  // with spaces.
  const auto path = dir_ / "py.safetensors";
  const std::string script =
      "import json,struct,sys\n"
      "buf = struct.pack('<3d', 1.5, -2.25, 1e100) + struct.pack('<2e', 0.5, -65504.0)\n"
      "h = json.dumps({'d': {'dtype': 'F64', 'shape': [3], 'data_offsets': [0, 24]},\n"
      "                'h': {'dtype': 'F16', 'shape': [1, 2], 'data_offsets': [24, 28]},\n"
      "                '__metadata__': {'format': 'pt'}}).encode()\n"
      "h += b' ' * ((8 - len(h) % 8) % 8)\n"
      "open(sys.argv[1], 'wb').write(struct.pack('<Q', len(h)) + h + buf)\n";
  const std::string cmd = "/usr/bin/python3 -c \"$ZHSENTI_PY\" " + path.string();
  ::setenv("ZHSENTI_PY", script.c_str(), 1);
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  const auto f = SafetensorsFile::read(path);
  EXPECT_EQ(f.metadata().at("format"), "pt");
  EXPECT_EQ(f.at("d").dtype, DType::kF64);
  std::vector<double> d(3);
  f.copy_bytes("d", DType::kF64, std::as_writable_bytes(std::span(d)));
  EXPECT_EQ(d, (std::vector<double>{1.5, -2.25, 1e100}));
  EXPECT_EQ(f.to_f32("h"), (std::vector<float>{0.5f, -65504.0f}));
  EXPECT_EQ(f.at("h").shape, (Shape{1, 2}));
}

}  // namespace
}  // namespace zhsenti::modelfile
