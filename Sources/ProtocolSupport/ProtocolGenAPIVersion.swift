// Sources/ProtocolSupport/ProtocolGenAPIVersion.swift - compile-time check that generated code matches this support

/// Generated code declares a type conforming to this; a generator/support mismatch fails to compile.
public protocol ProtocolGenAPIVersion_1 {}
