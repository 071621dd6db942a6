#pragma once
// The closed sets of the classifier's architecture, each spelled by one table
// (core/enum_names.h) in flags, config.json and error messages. The words are the ones
// config.json has always stored.

#include <array>
#include <string_view>
#include <utility>

#include "zhsenti/core/enum_names.h"

namespace zhsenti::nn {

enum class CellType { kRnn, kLstm, kGru };                 // recurrent.h
enum class PoolType { kLast, kMean, kMax, kAttention };    // pooling.h, attention.h
enum class NormType { kNone, kLayer, kBatch };             // on the pooled features
enum class InitScheme { kPytorch, kXavier, kOrthogonal };  // RecurrentLayer::init_*

// A recurrent layer's output row, which pooling reads and the features keep: `directions`
// blocks of `hidden` columns (forward in [0, H), backward in [H, 2H)). width() is the one
// derivation of the feature size F.
struct StateLayout {
  int hidden = 0;
  int directions = 1;
  constexpr int width() const { return hidden * directions; }
};

}  // namespace zhsenti::nn

namespace zhsenti {

template <>
struct EnumNames<nn::CellType> {
  static constexpr std::array<std::pair<nn::CellType, std::string_view>, 3> kTable = {
      {{nn::CellType::kRnn, "rnn"}, {nn::CellType::kLstm, "lstm"}, {nn::CellType::kGru, "gru"}}};
};

template <>
struct EnumNames<nn::PoolType> {
  static constexpr std::array<std::pair<nn::PoolType, std::string_view>, 4> kTable = {
      {{nn::PoolType::kLast, "last"},
       {nn::PoolType::kMean, "mean"},
       {nn::PoolType::kMax, "max"},
       {nn::PoolType::kAttention, "attention"}}};
};

template <>
struct EnumNames<nn::NormType> {
  static constexpr std::array<std::pair<nn::NormType, std::string_view>, 3> kTable = {
      {{nn::NormType::kNone, "none"},
       {nn::NormType::kLayer, "layer"},
       {nn::NormType::kBatch, "batch"}}};
};

template <>
struct EnumNames<nn::InitScheme> {
  static constexpr std::array<std::pair<nn::InitScheme, std::string_view>, 3> kTable = {
      {{nn::InitScheme::kPytorch, "pytorch"},
       {nn::InitScheme::kXavier, "xavier"},
       {nn::InitScheme::kOrthogonal, "orthogonal"}}};
};

}  // namespace zhsenti
