// The checks of check_yaml_tree (yaml_tree.hpp). yaml-cpp resolves an alias to the very node of
// its anchor, not to a copy: parsing `a: &a [*a]` or a "billion laughs" costs nothing, but the
// first walk over the result never ends or runs out of memory. So the whole tree is walked here
// once, with bounds, before anything else reads it: depth and the number of nodes visited are
// capped, and a collection met again while it is still open on the current path is a cycle.
#include "scenario/yaml_tree.hpp"

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "migsim/errors.hpp"

namespace migsim::detail {

namespace {

long line_of(const YAML::Node& node) { return node.Mark().line + 1; }

class TreeCheck {
public:
    TreeCheck(const std::string& path, std::size_t bytes)
        // A document without aliases has at most about one node per byte (`[a,a]`: two bytes
        // each), so this never refuses one; aliases may add a million visits.
        : path_(path), budget_(static_cast<std::int64_t>(bytes) + 1000000) {}

    void walk(const YAML::Node& node) {
        if (++visited_ > budget_)
            throw ScenarioError(path_ + ": its YAML aliases, expanded where they are used, make more than " +
                                std::to_string(budget_) +
                                " nodes (an alias of a list of aliases repeats all of them); expected at most the "
                                "file's size in bytes plus a million nodes (write the values out, or use fewer "
                                "aliases)");
        if (!node.IsMap() && !node.IsSequence()) return;
        for (const auto& open : open_)
            if (open.is(node))
                throw ScenarioError(path_ + ":" + std::to_string(line_of(node)) + ": " + where() +
                                    ": an alias inside the node it names (the node would contain itself without "
                                    "end); expected an alias only of a node outside it");
        if (open_.size() >= max_yaml_depth)
            throw ScenarioError(path_ + ":" + std::to_string(line_of(node)) + ": " + where() + ": nested deeper than " +
                                std::to_string(max_yaml_depth) + " levels; expected at most " +
                                std::to_string(max_yaml_depth) +
                                " levels of lists and mappings (settings files need 3 or 4)");
        open_.push_back(node);
        if (node.IsSequence()) {
            std::size_t i = 0;
            for (const auto& item : node) {
                steps_.push_back("[" + std::to_string(i++) + "]");
                walk(item);
                steps_.pop_back();
            }
        } else {
            std::unordered_map<std::string, long> seen;   // key -> line of its first pair
            for (const auto& pair : node) {
                const YAML::Node& key = pair.first;
                if (key.IsScalar()) {
                    const auto [first, fresh] = seen.emplace(key.Scalar(), line_of(key));
                    if (!fresh)
                        throw ScenarioError(path_, line_of(key), steps_.empty() ? "key" : where(), key.Scalar(),
                                            "each key once (it is already set on line " +
                                                std::to_string(first->second) + ")");
                }
                steps_.push_back(key.IsScalar() ? key.Scalar() : "(key)");
                walk(key);
                walk(pair.second);
                steps_.pop_back();
            }
        }
        open_.pop_back();
    }

private:
    // The key path to the node being walked, as the loader names keys: `profiles[0].budget`.
    // Past a few levels (only a document refused for its depth has them) the middle is elided.
    [[nodiscard]] std::string where() const {
        std::string out;
        for (std::size_t k = 0; k < steps_.size(); ++k) {
            if (steps_.size() > 8 && k == 4) {
                out += "...";
                k = steps_.size() - 3;
            } else if (!out.empty() && steps_[k][0] != '[') {
                out += '.';
            }
            out += steps_[k];
        }
        return out.empty() ? "(the document)" : out;
    }

    const std::string& path_;
    const std::int64_t budget_;
    std::int64_t visited_ = 0;
    std::vector<YAML::Node> open_;     // the collections from the root down to the node walked
    std::vector<std::string> steps_;   // their keys and indices
};

}   // namespace

void check_yaml_tree(const std::string& path, const YAML::Node& root, std::size_t bytes) {
    TreeCheck(path, bytes).walk(root);
}

}   // namespace migsim::detail
