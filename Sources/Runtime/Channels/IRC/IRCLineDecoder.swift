// Sources/Runtime/Channels/IRC/IRCLineDecoder.swift - CRLF (or bare LF) framing of the byte stream

import NIOCore

/// Cuts the inbound byte stream into lines: CRLF as the RFC says, a bare LF as many servers send.
///
/// Bytes are decoded as UTF-8 with replacement (IRC has no declared encoding; a Latin-1 byte must
/// not kill the connection). A line longer than `maximumLineBytes` (tags make lines longer than
/// 512) is dropped up to its newline instead of growing the buffer without bound.
struct IRCLineDecoder: ByteToMessageDecoder {
    typealias InboundOut = String

    var maximumLineBytes = 16 * 1024
    private var discarding = false

    init(maximumLineBytes: Int = 16 * 1024) {
        self.maximumLineBytes = maximumLineBytes
    }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > maximumLineBytes {
                buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
                discarding = true
            }
            return .needMoreData
        }
        let length = newline - buffer.readerIndex
        var bytes = buffer.readSlice(length: length)!
        buffer.moveReaderIndex(forwardBy: 1)
        if discarding {
            discarding = false
            return .continue
        }
        if bytes.readableBytesView.last == UInt8(ascii: "\r") {
            bytes = bytes.getSlice(at: bytes.readerIndex, length: bytes.readableBytes - 1)!
        }
        if bytes.readableBytes <= maximumLineBytes {
            context.fireChannelRead(wrapInboundOut(String(buffer: bytes)))
        }
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}
