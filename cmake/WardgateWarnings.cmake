# Compiler flags shared by every wardgate target: one place, so the library,
# the tools and the tests are held to the same standard.

add_library(wardgate_flags INTERFACE)
target_compile_options(wardgate_flags INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
    -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual)
if(WARDGATE_WERROR)
    target_compile_options(wardgate_flags INTERFACE -Werror)
endif()
if(WARDGATE_SANITIZE)
    target_compile_options(wardgate_flags INTERFACE
        -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_link_options(wardgate_flags INTERFACE -fsanitize=address,undefined)
endif()
