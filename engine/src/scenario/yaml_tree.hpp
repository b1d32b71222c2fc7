// Checks of a whole YAML document, right after it is parsed, that yaml-cpp does not make: every
// YAML file migsim reads (scenario.yml, its variants, FabFlee's simsetting.yml) goes through them
// before any key is looked at.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <string>

namespace migsim::detail {

// Throws ScenarioError naming `path`, the line and the key path (`profiles[0].budget`) when:
// - a mapping holds a key twice (yaml-cpp keeps both pairs but finds only the first, so the
//   second value would be dropped without a word): the line of the second, and of the first;
// - an alias is inside the node it names (`a: &a [*a]`): yaml-cpp builds a node that contains
//   itself, and anything that walks it recurses without end;
// - the tree, with every alias walked as often as it is used, has more nodes than the file's
//   bytes plus a million (aliases of aliases multiply: a "billion laughs" document);
// - collections are nested deeper than `max_yaml_depth` (aliases can nest deeper than the
//   parser's own limit).
// `bytes`: the size of the document's text.
void check_yaml_tree(const std::string& path, const YAML::Node& root, std::size_t bytes);

// Deeper than any migsim or Flee settings file (3 or 4 levels), shallow enough that walking it
// recursively is safe on any stack.
inline constexpr std::size_t max_yaml_depth = 64;

}   // namespace migsim::detail
