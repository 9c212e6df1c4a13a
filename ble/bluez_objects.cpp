#include "ble/bluez_objects.hpp"

#include <algorithm>
#include <cctype>

#include "ble/bluez_names.hpp"

namespace wardgate::ble::detail {

namespace {

bool equalsIgnoreCase(std::string_view a, std::string_view b) noexcept {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) ==
               std::tolower(static_cast<unsigned char>(y));
    });
}

bool isBelow(const std::string& path, const std::string& parent) noexcept {
    return path.size() > parent.size() && path.compare(0, parent.size(), parent) == 0 &&
           path[parent.size()] == '/';
}

template <typename T>
std::optional<T> as(const sdbus::Variant* value) {
    if (value == nullptr || !value->containsValueOfType<T>()) {
        return std::nullopt;
    }
    return value->get<T>();
}

}  // namespace

void BluezObjects::reset(const ManagedObjects& objects) {
    objects_.clear();
    for (const auto& [path, interfaces] : objects) {
        objects_[path] = interfaces;
    }
}

void BluezObjects::addInterfaces(const std::string& path, const InterfaceMap& interfaces) {
    auto& object = objects_[path];
    for (const auto& [name, properties] : interfaces) {
        object[name] = properties;
    }
}

bool BluezObjects::removeInterfaces(const std::string& path,
                                    const std::vector<std::string>& interfaces) {
    auto it = objects_.find(path);
    if (it == objects_.end()) {
        return true;
    }
    for (const auto& name : interfaces) {
        it->second.erase(name);
    }
    if (it->second.empty()) {
        objects_.erase(it);
        return true;
    }
    return false;
}

void BluezObjects::updateProperties(const std::string& path, const std::string& interface,
                                    const PropertyMap& changed,
                                    const std::vector<std::string>& invalidated) {
    auto object = objects_.find(path);
    if (object == objects_.end()) {
        return;  // properties of an object we were never told about: ignore
    }
    auto& properties = object->second[interface];
    for (const auto& [name, value] : changed) {
        properties[name] = value;
    }
    for (const auto& name : invalidated) {
        properties.erase(name);
    }
}

std::optional<std::string> BluezObjects::firstAdapter() const {
    for (const auto& [path, interfaces] : objects_) {
        if (interfaces.count(kAdapterInterface) != 0) {
            return path;
        }
    }
    return std::nullopt;
}

std::optional<std::string> BluezObjects::devicePath(const BandAddress& address) const {
    for (const auto& [path, interfaces] : objects_) {
        if (interfaces.count(kDeviceInterface) != 0 && deviceAddress(path) == address) {
            return path;
        }
    }
    return std::nullopt;
}

std::optional<BandAddress> BluezObjects::deviceAddress(const std::string& path) const {
    auto text = stringProperty(path, kDeviceInterface, "Address");
    return text ? BandAddress::parse(*text) : std::nullopt;
}

std::vector<DiscoveredBand> BluezObjects::devices() const {
    std::vector<DiscoveredBand> out;
    for (const auto& [path, interfaces] : objects_) {
        if (interfaces.count(kDeviceInterface) == 0) {
            continue;
        }
        auto address = deviceAddress(path);
        if (!address) {
            continue;
        }
        auto name = stringProperty(path, kDeviceInterface, "Name");
        if (!name) {
            name = stringProperty(path, kDeviceInterface, "Alias");
        }
        out.push_back(DiscoveredBand{*address, name.value_or(""),
                                     as<std::int16_t>(find(path, kDeviceInterface, "RSSI")),
                                     deviceFlag(path, "Paired")});
    }
    return out;
}

std::optional<std::string> BluezObjects::adapterOf(const std::string& devicePath) const {
    auto adapter = as<sdbus::ObjectPath>(find(devicePath, kDeviceInterface, "Adapter"));
    if (adapter) {
        return std::string(*adapter);
    }
    return firstAdapter();
}

std::optional<std::string> BluezObjects::characteristicPath(const std::string& devicePath,
                                                            std::string_view uuid) const {
    for (const auto& [path, interfaces] : objects_) {
        if (interfaces.count(kCharacteristicInterface) == 0) {
            continue;
        }
        auto charUuid = stringProperty(path, kCharacteristicInterface, "UUID");
        if (!charUuid || !equalsIgnoreCase(*charUuid, uuid)) {
            continue;
        }
        if (owningDevice(path) == devicePath) {
            return path;
        }
    }
    return std::nullopt;
}

std::optional<std::string> BluezObjects::owningDevice(const std::string& path) const {
    // Follow Service -> Device as BlueZ documents them; fall back to the path
    // hierarchy when a property is missing.
    std::string current = path;
    if (auto service = as<sdbus::ObjectPath>(find(current, kCharacteristicInterface, "Service"))) {
        current = *service;
    }
    if (auto device = as<sdbus::ObjectPath>(find(current, kServiceInterface, "Device"))) {
        return std::string(*device);
    }
    for (const auto& [candidate, interfaces] : objects_) {
        if (interfaces.count(kDeviceInterface) != 0 &&
            (candidate == path || isBelow(path, candidate))) {
            return candidate;
        }
    }
    return std::nullopt;
}

bool BluezObjects::characteristicHasFlag(const std::string& path, std::string_view flag) const {
    auto flags = as<std::vector<std::string>>(find(path, kCharacteristicInterface, "Flags"));
    return flags && std::find(flags->begin(), flags->end(), flag) != flags->end();
}

bool BluezObjects::deviceFlag(const std::string& devicePath, const std::string& name) const {
    return as<bool>(find(devicePath, kDeviceInterface, name)).value_or(false);
}

std::optional<std::string> BluezObjects::stringProperty(const std::string& path,
                                                        const std::string& interface,
                                                        const std::string& name) const {
    return as<std::string>(find(path, interface, name));
}

const sdbus::Variant* BluezObjects::find(const std::string& path, const std::string& interface,
                                         const std::string& name) const {
    auto object = objects_.find(path);
    if (object == objects_.end()) {
        return nullptr;
    }
    auto iface = object->second.find(interface);
    if (iface == object->second.end()) {
        return nullptr;
    }
    auto property = iface->second.find(name);
    return property == iface->second.end() ? nullptr : &property->second;
}

}  // namespace wardgate::ble::detail
