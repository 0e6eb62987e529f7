#include "allervers/platform/v4l2_camera.hpp"

#include <fcntl.h>
#include <libv4l2.h>
#include <linux/videodev2.h>
#include <poll.h>
#include <sys/mman.h>

#include <cerrno>
#include <cstring>

namespace allervers::platform {

namespace {

constexpr unsigned buffer_count = 4;  // enough for the driver to fill one while we read another

int xioctl(int fd, unsigned long request, void* arg) {
  int rc;
  do {
    rc = v4l2_ioctl(fd, request, arg);
  } while (rc == -1 && errno == EINTR);
  return rc;
}

std::string errno_text(int error) { return std::strerror(error); }

}  // namespace

V4l2Camera::V4l2Camera(const CameraRequest& request) : device_(request.device) {
  const std::string name = device_.string();
  fd_ = v4l2_open(name.c_str(), O_RDWR | O_NONBLOCK, 0);
  if (fd_ < 0) {
    const int error = errno;
    if (error == ENOENT || error == ENODEV || error == ENXIO)
      throw CameraError("no camera at " + name + " (" + errno_text(error) +
                        "): plug a camera in, or choose another device");
    if (error == ENOTTY || error == EINVAL)
      throw CameraError(name + " is not a video device (" + errno_text(error) + "): choose the camera's /dev/video* device");
    if (error == EBUSY) throw CameraError("camera " + name + " is in use by another program: close it and retry");
    if (error == EACCES)
      throw CameraError("camera " + name + " may not be opened by this user (" + errno_text(error) +
                        "): add the user to the 'video' group");
    throw CameraError("camera " + name + " could not be opened: " + errno_text(error));
  }
  try {
    v4l2_capability caps{};
    if (xioctl(fd_, VIDIOC_QUERYCAP, &caps) == -1)
      throw CameraError(name + " is not a video device (" + errno_text(errno) + ")");
    const auto capabilities = (caps.capabilities & V4L2_CAP_DEVICE_CAPS) ? caps.device_caps : caps.capabilities;
    if (!(capabilities & V4L2_CAP_VIDEO_CAPTURE)) throw CameraError(name + " is a video device but not a camera");
    if (!(capabilities & V4L2_CAP_STREAMING)) throw CameraError("camera " + name + " cannot stream frames");

    v4l2_format format{};
    format.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    format.fmt.pix.width = static_cast<std::uint32_t>(request.width);
    format.fmt.pix.height = static_cast<std::uint32_t>(request.height);
    format.fmt.pix.pixelformat = V4L2_PIX_FMT_YUYV;
    format.fmt.pix.field = V4L2_FIELD_NONE;
    if (xioctl(fd_, VIDIOC_S_FMT, &format) == -1)
      throw CameraError("camera " + name + " refused every frame format: " + errno_text(errno));
    const auto chosen = pixel_format_from_fourcc(format.fmt.pix.pixelformat);
    if (!chosen) throw CameraError("camera " + name + " offers no format this program reads (YUYV, GREY, YU12, RGB3)");
    format_ = *chosen;
    width_ = static_cast<int>(format.fmt.pix.width);
    height_ = static_cast<int>(format.fmt.pix.height);
    bytes_per_line_ = static_cast<int>(format.fmt.pix.bytesperline);

    v4l2_requestbuffers buffers{};
    buffers.count = buffer_count;
    buffers.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    buffers.memory = V4L2_MEMORY_MMAP;
    if (xioctl(fd_, VIDIOC_REQBUFS, &buffers) == -1 || buffers.count < 2)
      throw CameraError("camera " + name + " gave no frame buffers: " + errno_text(errno));
    for (unsigned i = 0; i < buffers.count; ++i) {
      v4l2_buffer buffer{};
      buffer.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
      buffer.memory = V4L2_MEMORY_MMAP;
      buffer.index = i;
      if (xioctl(fd_, VIDIOC_QUERYBUF, &buffer) == -1) throw CameraError("camera " + name + ": " + errno_text(errno));
      void* start = v4l2_mmap(nullptr, buffer.length, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, buffer.m.offset);
      if (start == MAP_FAILED) throw CameraError("camera " + name + ": frame buffer mapping failed: " + errno_text(errno));
      buffers_.push_back({start, buffer.length});
      if (xioctl(fd_, VIDIOC_QBUF, &buffer) == -1) throw CameraError("camera " + name + ": " + errno_text(errno));
    }
    v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    if (xioctl(fd_, VIDIOC_STREAMON, &type) == -1)
      throw CameraError("camera " + name + " would not start streaming: " + errno_text(errno));
    streaming_ = true;
  } catch (...) {
    close_device();
    throw;
  }
}

V4l2Camera::~V4l2Camera() { close_device(); }

void V4l2Camera::close_device() noexcept {
  if (fd_ < 0) return;
  if (streaming_) {
    v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    xioctl(fd_, VIDIOC_STREAMOFF, &type);
    streaming_ = false;
  }
  for (const auto& buffer : buffers_) v4l2_munmap(buffer.start, buffer.length);
  buffers_.clear();
  v4l2_close(fd_);
  fd_ = -1;
}

std::shared_ptr<const Frame> V4l2Camera::next_frame(std::chrono::milliseconds timeout) {
  pollfd pfd{fd_, POLLIN, 0};
  const int ready = poll(&pfd, 1, static_cast<int>(timeout.count()));
  if (ready == 0) return nullptr;
  if (ready < 0) {
    if (errno == EINTR) return nullptr;
    throw CameraError("camera " + device_.string() + ": " + errno_text(errno));
  }
  v4l2_buffer buffer{};
  buffer.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
  buffer.memory = V4L2_MEMORY_MMAP;
  if (xioctl(fd_, VIDIOC_DQBUF, &buffer) == -1) {
    if (errno == EAGAIN) return nullptr;
    throw CameraError("camera " + device_.string() + " stopped sending frames (" + errno_text(errno) +
                      "): was it unplugged?");
  }
  auto frame = std::make_shared<Frame>();
  frame->captured_at = std::chrono::steady_clock::now();
  frame->width = width_;
  frame->height = height_;
  frame->sequence = ++sequence_;
  try {
    const auto& mapped = buffers_.at(buffer.index);
    frame->luma = to_luma(format_, {static_cast<const std::uint8_t*>(mapped.start), std::min<std::size_t>(mapped.length, buffer.bytesused ? buffer.bytesused : mapped.length)},
                          width_, height_, bytes_per_line_);
  } catch (const std::exception& e) {
    xioctl(fd_, VIDIOC_QBUF, &buffer);
    throw CameraError("camera " + device_.string() + " sent a damaged frame: " + e.what());
  }
  if (xioctl(fd_, VIDIOC_QBUF, &buffer) == -1)
    throw CameraError("camera " + device_.string() + ": " + errno_text(errno));
  return frame;
}

std::string V4l2Camera::description() const {
  return device_.string() + " " + std::to_string(width_) + "x" + std::to_string(height_) + " " + to_string(format_);
}

}  // namespace allervers::platform
