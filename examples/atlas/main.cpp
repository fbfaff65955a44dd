// softnum_atlas: writes the format atlas (docs/formats.md) from the library registry, or checks
// that a file holds exactly what it would write.
#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

#include "atlas.hpp"

namespace {

const char* usage = R"(usage: softnum_atlas [--output FILE | --check FILE]
  (no option)     write the format atlas (Markdown) to standard output
  --output FILE   write it to FILE
  --check FILE    exit 0 if FILE holds exactly the atlas, 1 (naming the first differing line) if not
  --help          this text
)";

/// Exit status 2 with a message and the usage text.
int usage_error(const std::string& message) {
  std::fprintf(stderr, "softnum_atlas: %s\n%s", message.c_str(), usage);
  return 2;
}

int check(const std::string& path, const std::string& atlas) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "softnum_atlas: cannot read '%s'\n", path.c_str());
    return 2;
  }
  const std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (file == atlas) {
    std::printf("%s is up to date\n", path.c_str());
    return 0;
  }
  std::istringstream a(file), b(atlas);
  std::string la, lb;
  int line = 0;
  while (true) {
    ++line;
    const bool ha = static_cast<bool>(std::getline(a, la)),
               hb = static_cast<bool>(std::getline(b, lb));
    if (!ha || !hb || la != lb) {
      std::fprintf(stderr,
                   "softnum_atlas: %s differs from the registry's atlas at line %d:\n  file:  %s\n "
                   " atlas: %s\n"
                   "regenerate it: softnum_atlas --output %s\n",
                   path.c_str(), line, ha ? la.c_str() : "(end of file)",
                   hb ? lb.c_str() : "(end of atlas)", path.c_str());
      return 1;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string output, check_path;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      std::printf("%s", usage);
      return 0;
    }
    if (a != "--output" && a != "--check") return usage_error("unknown option '" + a + "'");
    if (i + 1 >= argc || argv[i + 1][0] == '\0') return usage_error(a + ": missing file name");
    std::string& target = a == "--output" ? output : check_path;
    if (!target.empty()) return usage_error(a + " given twice");
    target = argv[++i];
  }
  if (!output.empty() && !check_path.empty())
    return usage_error("--output and --check exclude each other");

  const std::string atlas = atlas::markdown();
  if (!check_path.empty()) return check(check_path, atlas);
  if (output.empty()) {
    std::fwrite(atlas.data(), 1, atlas.size(), stdout);
    return 0;
  }
  std::ofstream out(output, std::ios::binary);
  out << atlas;
  out.close();
  if (!out) {
    std::fprintf(stderr, "softnum_atlas: cannot write '%s'\n", output.c_str());
    return 2;
  }
  return 0;
}
