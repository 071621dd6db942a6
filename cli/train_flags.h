#pragma once
// Command-line flags that set TrainConfig fields, shared by `train` and `finetune`. Each flag
// remembers whether it was given, so settings from elsewhere (train's --config file, the base
// model of finetune) are kept except where the command line overrides them.

#include <CLI/CLI.hpp>
#include <algorithm>
#include <functional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "enum_option.h"
#include "zhsenti/train/train_config.h"
#include "zhsenti/train/trainer.h"

namespace zhsenti::cli {

class TrainFlags {
 public:
  // show_defaults: print TrainConfig's defaults in --help (not for finetune, whose defaults
  // come from the base model).
  TrainFlags(CLI::App* cmd, bool show_defaults) : cmd_(cmd), show_defaults_(show_defaults) {}
  TrainFlags(const TrainFlags&) = delete;  // the bound callbacks point into this object
  TrainFlags& operator=(const TrainFlags&) = delete;

  template <typename T>
  void option(const std::string& name, T train::TrainConfig::*field, const std::string& help) {
    add_option(name, help, [field](train::TrainConfig& c) -> T& { return c.*field; });
  }
  // The architecture's settings, held in TrainConfig::model.
  template <typename T>
  void option(const std::string& name, T nn::ClassifierConfig::*field, const std::string& help) {
    add_option(name, help, [field](train::TrainConfig& c) -> T& { return c.model.*field; });
  }

  // The tokenizer's settings, held in TrainConfig::tokenizer.
  template <typename T>
  void option(const std::string& name, T text::TokenizerConfig::*field, const std::string& help) {
    add_option(name, help, [field](train::TrainConfig& c) -> T& { return c.tokenizer.*field; });
  }

  void flag(const std::string& name, bool train::TrainConfig::*field, const std::string& help) {
    add_flag(name, help, [field](train::TrainConfig& c) -> bool& { return c.*field; });
  }
  void flag(const std::string& name, bool nn::ClassifierConfig::*field, const std::string& help) {
    add_flag(name, help, [field](train::TrainConfig& c) -> bool& { return c.model.*field; });
  }
  void flag(const std::string& name, bool text::TokenizerConfig::*field, const std::string& help) {
    add_flag(name, help, [field](train::TrainConfig& c) -> bool& { return c.tokenizer.*field; });
  }

  // Copies every flag given on the command line into c.
  void apply(train::TrainConfig& c) const {
    for (const auto& [opt, copy] : overrides_) {
      if (opt->count() > 0) copy(c);
    }
  }

 private:
  // `setting` picks a flag's field out of a TrainConfig: CLI11 parses into values_'s, apply()
  // copies that into the config being resolved.
  template <typename Setting>
  void add_option(const std::string& name, const std::string& help, Setting setting) {
    auto& value = setting(values_);
    using T = std::decay_t<decltype(value)>;
    if constexpr (NamedEnum<T>) {
      // A bad word is a bad setting (exit 1), as the same key in a --config file is.
      std::string key = name.substr(2);
      std::replace(key.begin(), key.end(), '-', '_');
      CLI::Option* opt = cmd_->add_option_function<std::string>(
          name,
          [&value, key](const std::string& word) {
            value = parse_setting<T>(word, SettingNames::kFlags, key);
          },
          enum_help<T>(help));
      if (show_defaults_) opt->default_str(std::string(name_of(value)));
      remember(opt, setting);
    } else {
      CLI::Option* opt = cmd_->add_option(name, value, help);
      if (show_defaults_) opt->capture_default_str();
      remember(opt, setting);
    }
  }
  template <typename Setting>
  void add_flag(const std::string& name, const std::string& help, Setting setting) {
    remember(cmd_->add_flag(name, setting(values_), help), setting);
  }
  template <typename Setting>
  void remember(CLI::Option* opt, Setting setting) {
    overrides_.emplace_back(
        opt, [this, setting](train::TrainConfig& c) { setting(c) = setting(values_); });
  }

  CLI::App* cmd_;
  bool show_defaults_;
  train::TrainConfig values_;
  std::vector<std::pair<CLI::Option*, std::function<void(train::TrainConfig&)>>> overrides_;
};

// The flag groups both commands take: data files and columns; optimisation, regularisation,
// imbalance and run settings. add_model_flags: tokens and architecture (train only; the
// Python module's zhsenti.train takes all three groups as keywords).
void add_data_flags(TrainFlags& f);
void add_model_flags(TrainFlags& f);
void add_optimisation_flags(TrainFlags& f);

// The JSON summary on stdout (--json), else one line on stderr.
void print_train_summary(const train::TrainSummary& s, bool json);

}  // namespace zhsenti::cli
