// bench_app: starts its own Xvfb, then runs allervers-kiosk in it to measure what a kiosk
// costs: cold start to first frame, frame time on the survey at 1920x1080 (software GL),
// CPU while idle on the welcome screen over 10 s, resident memory, and on the assembly desk
// the time from a camera frame holding a pass to its verdict on screen. Prints figures.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "allervers/core/consultation.hpp"
#include "allervers/core/settings.hpp"
#include "allervers/passes/device_settings.hpp"
#include "allervers/platform/image_io.hpp"
#include "allervers/platform/qr.hpp"
#include "allervers/storage/device_store.hpp"

extern char** environ;
namespace fs = std::filesystem;

namespace {

struct Child {
  pid_t pid = -1;
  int out = -1;  // its stdout+stderr, when captured
};

Child spawn(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env, bool capture,
            int extra_fd_target = -1, int extra_fd = -1) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<std::string> env_store;
  for (char** e = environ; *e; ++e) env_store.emplace_back(*e);
  for (const auto& e : extra_env) env_store.push_back(e);
  std::vector<char*> env;
  for (auto& e : env_store) env.push_back(e.data());
  env.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  int pipe_fds[2] = {-1, -1};
  if (capture) {
    if (pipe(pipe_fds) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 2);
    posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  }
  if (extra_fd >= 0) posix_spawn_file_actions_adddup2(&actions, extra_fd, extra_fd_target);
  Child child;
  if (posix_spawn(&child.pid, args[0], &actions, nullptr, args.data(), env.data()) != 0)
    throw std::runtime_error("cannot start " + argv[0]);
  posix_spawn_file_actions_destroy(&actions);
  if (capture) {
    close(pipe_fds[1]);
    child.out = pipe_fds[0];
  }
  return child;
}

std::string read_all(int fd) {
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) out.append(buf, static_cast<std::size_t>(n));
  close(fd);
  return out;
}

int wait_for(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string find_program(const std::string& name) {
  for (const char* dir : {"/usr/bin", "/usr/local/bin", "/bin"})
    if (fs::exists(fs::path(dir) / name)) return (fs::path(dir) / name).string();
  return "";
}

// CPU seconds (user + system) a process used so far.
double cpu_seconds(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  std::istringstream fields(line.substr(line.rfind(')') + 2));
  std::string field;
  long long utime = 0, stime = 0;
  for (int i = 3; fields >> field; ++i) {
    if (i == 14) utime = std::stoll(field);
    if (i == 15) {
      stime = std::stoll(field);
      break;
    }
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

std::string status_field(pid_t pid, const std::string& name) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind(name + ":", 0) == 0) return line.substr(name.size() + 1);
  return "?";
}

std::string trim(std::string s) {
  s.erase(0, s.find_first_not_of(" \t"));
  return s;
}

}  // namespace

int main() {
  const std::string kiosk = ALLERVERS_KIOSK;
  const fs::path scripts = ALLERVERS_BENCH_SCRIPTS;
  const std::string xvfb = find_program("Xvfb");
  if (xvfb.empty()) {
    std::cerr << "bench_app: Xvfb is not installed (apt-get install xvfb)\n";
    return 1;
  }
  // Our own X server on a free display, which it tells us through -displayfd.
  int display_pipe[2];
  if (pipe(display_pipe) != 0) return 1;
  Child x = spawn({xvfb, "-displayfd", "9", "-screen", "0", "1920x1080x24", "-nolisten", "tcp"}, {}, false, 9,
                  display_pipe[1]);
  close(display_pipe[1]);
  std::string display_number;
  char c;
  while (read(display_pipe[0], &c, 1) == 1 && c != '\n') display_number += c;
  close(display_pipe[0]);
  const std::vector<std::string> env = {"DISPLAY=:" + display_number, "LIBGL_ALWAYS_SOFTWARE=1"};
  std::cout << "Xvfb on :" << display_number << " (Mesa llvmpipe)\n";

  const fs::path data = fs::temp_directory_path() / ("allervers-bench-app-" + std::to_string(getpid()));
  fs::remove_all(data);
  const std::vector<std::string> base = {kiosk, "--data", data.string(), "--kiosk", "--staff-pin", "2468", "--size", "1920x1080"};

  // 1. Cold start to first frame (the device exists; fonts, GL and the catalog load each time).
  {
    auto first = base;
    first.insert(first.end(), {"--screenshot-script", (scripts / "first-frame.txt").string()});
    std::vector<double> ms;
    for (int run = 0; run < 6; ++run) {
      Child k = spawn(first, {env[0], env[1], "ALLERVERS_REPORT_STARTUP=1"}, true);
      const std::string out = read_all(k.out);
      wait_for(k.pid);
      const auto at = out.find("first frame after ");
      if (at == std::string::npos) {
        std::cerr << "bench_app: no first frame:\n" << out;
        continue;
      }
      if (run > 0) ms.push_back(std::stod(out.substr(at + 18)));  // run 0 creates the device
    }
    std::sort(ms.begin(), ms.end());
    if (!ms.empty())
      std::cout << "cold start to first frame: median " << ms[ms.size() / 2] << " ms (min " << ms.front() << ", max "
                << ms.back() << ", " << ms.size() << " runs)\n";
  }

  // 2. Frame time on the survey at 1920x1080.
  {
    auto survey = base;
    survey.insert(survey.end(), {"--screenshot-script", (scripts / "survey-1920.txt").string()});
    Child k = spawn(survey, env, true);
    const std::string out = read_all(k.out);
    wait_for(k.pid);
    std::istringstream lines(out);
    int n = 0;
    for (std::string line; std::getline(lines, line);)
      if (line.rfind("frames ", 0) == 0)
        std::cout << (n++ == 0 ? "survey (choices) 1920x1080: " : "survey (text + keyboard) 1920x1080: ") << line << "\n";
    if (n == 0) std::cerr << "bench_app: the survey script failed:\n" << out;
  }

  // 3. Idle: the kiosk on its welcome screen, nobody touching it, for 10 s.
  {
    Child k = spawn(base, env, true);
    std::this_thread::sleep_for(std::chrono::seconds(3));  // start-up is not idle
    const double before = cpu_seconds(k.pid);
    const auto t0 = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(std::chrono::seconds(10));
    const double used = cpu_seconds(k.pid) - before;
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::cout << "idle CPU over " << wall << " s: " << 100.0 * used / wall << " % (" << used << " s of CPU)\n";
    std::cout << "resident memory: VmRSS " << trim(status_field(k.pid, "VmRSS")) << ", peak VmHWM "
              << trim(status_field(k.pid, "VmHWM")) << "\n";
    kill(k.pid, SIGKILL);  // a kiosk does not quit without its PIN; this is our own child
    read_all(k.out);
    wait_for(k.pid);
  }

  // 4. Scan to verdict: the assembly desk at 1920x1080, a camera (image files, 10 frames a
  // second, 640x480) showing 20 different valid passes one after the other; for each, the time
  // from the frame's arrival to the swap of the frame that shows its verdict.
  {
    using namespace allervers;
    const fs::path desk = data.string() + "-desk";
    fs::remove_all(desk);
    {
      core::SystemClock clock;
      auto store = storage::DeviceStore::create(desk, "Borne", clock.now());
      std::ifstream in(fs::path(ALLERVERS_BENCH_ASSETS) / "demo" / "catalog.json");
      std::stringstream catalog;
      catalog << in.rdbuf();
      store.save_catalog(core::parse_catalog(catalog.str()));
      const auto town = passes::TownKey::generate();
      store.set_setting(core::settings::town_key, town.public_key().str());
      std::ofstream script(desk / "desk.txt");
      script << "size 1920 1080\ntap staff\ntype 2468\ntap next\ntap desk_assembly:conseil-centre-2026-12\ntap open_desk\nframes 3\n";
      for (int i = 0; i < 20; ++i) {
        const auto qr = platform::render_qr(platform::encode_qr(passes::issue_town_pass(town, passes::PassId::random()),
                                                                platform::QrErrorCorrection::medium), 6);
        platform::Frame frame;
        frame.width = 640;
        frame.height = 480;
        frame.luma.assign(640 * 480, 140);
        for (int y = 0; y < qr.height; ++y)
          for (int col = 0; col < qr.width; ++col)
            frame.luma[static_cast<std::size_t>((80 + y) * 640 + 150 + col)] = qr.at(col, y);
        platform::write_png(desk / ("pass" + std::to_string(i) + ".png"), frame);
        script << "camera pass" << i << ".png\nverdict\nexpect-verdict welcome\n";
      }
    }
    Child k = spawn({kiosk, "--data", desk.string(), "--kiosk", "--staff-pin", "2468", "--size", "1920x1080",
                     "--screenshot-script", (desk / "desk.txt").string()},
                    env, true);
    const std::string out = read_all(k.out);
    const int rc = wait_for(k.pid);
    std::vector<double> ms;
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);)
      if (line.rfind("verdict_ms ", 0) == 0) ms.push_back(std::stod(line.substr(11)));
    std::sort(ms.begin(), ms.end());
    if (rc != 0 || ms.empty()) {
      std::cerr << "bench_app: the desk script failed:\n" << out;
    } else {
      double sum = 0;
      for (double v : ms) sum += v;
      std::cout << "scan to verdict on screen (frame arrival to swap, 1920x1080, 640x480 frames): median "
                << ms[ms.size() / 2] << " ms, mean " << sum / static_cast<double>(ms.size()) << " ms, max " << ms.back()
                << " ms (" << ms.size() << " passes)\n";
    }
    fs::remove_all(desk);
  }

  kill(x.pid, SIGTERM);
  wait_for(x.pid);
  fs::remove_all(data);
  return 0;
}
