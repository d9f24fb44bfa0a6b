// Sources/Generated/Generated.swift - the one hand-written file of this module
//
// Every other source of this module is written at build time by Plugins/ProtocolGen from spec/.
// (A target whose only sources are plugin outputs is dropped, so this file keeps it alive.)

@_exported import ProtocolSupport
