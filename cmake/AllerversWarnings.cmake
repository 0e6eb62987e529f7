# One warnings helper, applied PRIVATE to every target of ours.
function(allervers_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
    -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
    -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
  if(ALLERVERS_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
