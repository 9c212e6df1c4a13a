#pragma once
// Umbrella header for the characteristic decoders: bytes in, typed value or
// typed DecodeError out, never an exception on the decode side.

#include "ble/decoders/battery_level.hpp"
#include "ble/decoders/decode_result.hpp"
#include "ble/decoders/heart_rate_measurement.hpp"
#include "ble/decoders/sensor_batch.hpp"
