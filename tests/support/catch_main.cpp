// tests/support/catch_main.cpp - the Catch2 v2 main, compiled once into softnum_catch_main.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
