// Hostile YAML for the loader tests: a document whose aliases expand to 10^10 nodes.
#pragma once

#include <string>

namespace migsim::test {

// "Billion laughs": l0 is ten scalars, each l(k) ten aliases of l(k-1), up to l9 (10^10 when
// expanded); `l9` names the last.
inline std::string billion_laughs() {
    std::string laughs = "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
    for (int k = 1; k <= 9; ++k) {
        const std::string name = std::to_string(k), below = std::to_string(k - 1);
        laughs.append("l").append(name).append(": &l").append(name).append(" [*l").append(below);
        for (int i = 1; i < 10; ++i) laughs.append(", *l").append(below);
        laughs.append("]\n");
    }
    return laughs;
}

}   // namespace migsim::test
