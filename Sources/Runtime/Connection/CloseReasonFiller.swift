// Sources/Runtime/Connection/CloseReasonFiller.swift - the reason SwiftNIO leaves out of its own 1009 close

import Generated
import NIOCore
import NIOWebSocket

/// SwiftNIO's frame decoder refuses a frame longer than the server's `maxFrameSize` (= `maxPayload`)
/// before the gateway sees it, and its protocol error handler closes with a bare 1009. The gateway's
/// own check (fragmented messages) says `payload too large`; this handler adds that reason to NIO's
/// close so a client sees one answer however the message was split.
final class CloseReasonFiller: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        var frame = unwrapOutboundIn(data)
        guard frame.opcode == .connectionClose, frame.data.readableBytes == 2,
            let code = frame.data.getInteger(at: frame.data.readerIndex, as: UInt16.self),
            code == UInt16(CloseCodes.payloadTooLarge.code), let reason = CloseCodes.payloadTooLarge.reason
        else {
            return context.write(data, promise: promise)
        }
        var payload = context.channel.allocator.buffer(capacity: 2 + reason.utf8.count)
        payload.writeInteger(code)
        payload.writeString(reason)
        frame = WebSocketFrame(fin: frame.fin, opcode: .connectionClose, maskKey: frame.maskKey, data: payload)
        context.write(wrapOutboundOut(frame), promise: promise)
    }

    /// Installs the filler on an upgraded socket's pipeline, just after the frame encoder.
    static func install(on channel: any Channel) {
        channel.eventLoop.execute {
            let pipeline = channel.pipeline.syncOperations
            guard let encoder = try? pipeline.handler(type: WebSocketFrameEncoder.self) else { return }
            try? pipeline.addHandler(CloseReasonFiller(), position: .after(encoder))
        }
    }
}
