# One warnings helper, applied PRIVATE to every target of ours.
function(allervers_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
    -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
    -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
  if(ALLERVERS_SANITIZE)
    # GCC 12's flow analysis is perturbed by the sanitizers' instrumentation and reports
    # maybe-uninitialized in libstdc++ (std::function, std::regex); the normal build keeps it.
    target_compile_options(${target} PRIVATE -Wno-maybe-uninitialized)
  endif()
  if(ALLERVERS_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
