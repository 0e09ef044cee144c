# idt_library_copy(NAME [OPTION...])
# Defines NAME, an OBJECT library compiled from the same sources, include
# directories, definitions and dependencies as idt_objects (libinitdata's
# objects, top-level CMakeLists.txt), plus the compile OPTIONs.  For the
# builds that need the library compiled differently: coverage-instrumented
# for the fuzzers, optimised for the benchmarks.  Mirroring idt_objects
# keeps the copies in step when the library gains a source or a dependency.
function(idt_library_copy name)
  get_target_property(sources idt_objects SOURCES)
  get_target_property(includes idt_objects INCLUDE_DIRECTORIES)
  get_target_property(definitions idt_objects COMPILE_DEFINITIONS)
  get_target_property(libraries idt_objects LINK_LIBRARIES)
  add_library(${name} OBJECT ${sources})
  target_include_directories(${name} PUBLIC ${includes})
  if(definitions)
    target_compile_definitions(${name} PRIVATE ${definitions})
  endif()
  target_compile_options(${name} PRIVATE ${ARGN})
  if(libraries)
    target_link_libraries(${name} PUBLIC ${libraries})
  endif()
endfunction()
