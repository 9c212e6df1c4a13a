#pragma once
// A mirror of BlueZ's object tree, kept from GetManagedObjects plus the
// InterfacesAdded / InterfacesRemoved / PropertiesChanged signals (BLE.md §1.1).
// Lookups go by address and UUID, never by a remembered object path (P6, P7).
//
// Internal to ble/. Threading: the io_context's thread only.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <sdbus-c++/Types.h>

#include "ble/band_address.hpp"
#include "ble/bluez_types.hpp"

namespace wardgate::ble::detail {

using PropertyMap = std::map<std::string, sdbus::Variant>;
using InterfaceMap = std::map<std::string, PropertyMap>;
using ManagedObjects = std::map<sdbus::ObjectPath, InterfaceMap>;

class BluezObjects {
  public:
    void reset(const ManagedObjects& objects);
    void clear() noexcept { objects_.clear(); }

    void addInterfaces(const std::string& path, const InterfaceMap& interfaces);
    // Returns true if the object at `path` is now gone altogether.
    bool removeInterfaces(const std::string& path, const std::vector<std::string>& interfaces);
    void updateProperties(const std::string& path, const std::string& interface,
                          const PropertyMap& changed, const std::vector<std::string>& invalidated);

    [[nodiscard]] std::optional<std::string> firstAdapter() const;
    [[nodiscard]] std::optional<std::string> devicePath(const BandAddress& address) const;
    [[nodiscard]] std::optional<BandAddress> deviceAddress(const std::string& path) const;
    [[nodiscard]] std::vector<DiscoveredBand> devices() const;
    // The adapter a device belongs to (its Adapter property, else the first adapter).
    [[nodiscard]] std::optional<std::string> adapterOf(const std::string& devicePath) const;
    // The GattCharacteristic1 with this UUID (case-insensitive) in a service of the device.
    [[nodiscard]] std::optional<std::string> characteristicPath(const std::string& devicePath,
                                                                std::string_view uuid) const;
    // The device a path belongs to, for any object at or below a device.
    [[nodiscard]] std::optional<std::string> owningDevice(const std::string& path) const;

    // Whether a characteristic's Flags list holds `flag` ("notify", "read", ...).
    [[nodiscard]] bool characteristicHasFlag(const std::string& path, std::string_view flag) const;
    [[nodiscard]] bool deviceFlag(const std::string& devicePath, const std::string& name) const;
    [[nodiscard]] std::optional<std::string> stringProperty(const std::string& path,
                                                            const std::string& interface,
                                                            const std::string& name) const;

  private:
    [[nodiscard]] const sdbus::Variant* find(const std::string& path, const std::string& interface,
                                             const std::string& name) const;

    std::map<std::string, InterfaceMap> objects_;
};

}  // namespace wardgate::ble::detail
