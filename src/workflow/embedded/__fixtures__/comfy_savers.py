# Writes small files the way ComfyUI's savers do (code paths copied from ComfyUI nodes.py SaveImage,
# comfy_extras/nodes_images.py SaveAnimatedWEBP/SaveAnimatedPNG, comfy_api video_types.py SaveVideo,
# comfy_extras/nodes_video.py SaveWEBM, comfy_extras/nodes_audio.py SaveAudio/MP3/Opus).
import json, sys, io
from fractions import Fraction
import av, numpy as np
from PIL import Image
from PIL.PngImagePlugin import PngInfo

fx = sys.argv[1]; out = sys.argv[2]
prompt = json.load(open(f"{fx}/img2img__img2img_workflow.prompt.json"))
extra_pnginfo = {"workflow": json.load(open(f"{fx}/img2img__img2img_workflow.workflow.json"))}
frames = [Image.new("RGB", (16, 16), (255, 40 * i, 0)) for i in range(3)]

# SaveImage
metadata = PngInfo()
metadata.add_text("prompt", json.dumps(prompt))
for x in extra_pnginfo: metadata.add_text(x, json.dumps(extra_pnginfo[x]))
frames[0].save(f"{out}/SaveImage.png", pnginfo=metadata, compress_level=4)

# SaveAnimatedWEBP
metadata = frames[0].getexif()
metadata[0x0110] = "prompt:{}".format(json.dumps(prompt))
inital_exif = 0x010f
for x in extra_pnginfo:
    metadata[inital_exif] = "{}:{}".format(x, json.dumps(extra_pnginfo[x])); inital_exif -= 1
frames[0].save(f"{out}/SaveAnimatedWEBP.webp", save_all=True, duration=166, append_images=frames[1:], exif=metadata, lossless=True, quality=80, method=4)

# SaveAnimatedPNG
metadata = PngInfo()
metadata.add(b"comf", "prompt".encode("latin-1", "strict") + b"\0" + json.dumps(prompt).encode("latin-1", "strict"), after_idat=True)
for x in extra_pnginfo:
    metadata.add(b"comf", x.encode("latin-1", "strict") + b"\0" + json.dumps(extra_pnginfo[x]).encode("latin-1", "strict"), after_idat=True)
frames[0].save(f"{out}/SaveAnimatedPNG.png", pnginfo=metadata, compress_level=4, save_all=True, duration=166, append_images=frames[1:])

def encode_video(path, codec, options, pix_fmt, metadata):
    with av.open(path, mode='w', options=options) as output:
        for key, value in metadata.items(): output.metadata[key] = json.dumps(value)
        stream = output.add_stream(codec, rate=Fraction(6000, 1000))
        stream.width = 16; stream.height = 16; stream.pix_fmt = pix_fmt
        for img in frames:
            for packet in stream.encode(av.VideoFrame.from_ndarray(np.asarray(img), format='rgb24')): output.mux(packet)
        for packet in stream.encode(): output.mux(packet)

# SaveVideo (mp4): extra_pnginfo first, then prompt
saved = dict(extra_pnginfo); saved["prompt"] = prompt
encode_video(f"{out}/SaveVideo.mp4", 'h264', {'movflags': 'use_metadata_tags'}, 'yuv420p', saved)
# SaveWEBM: prompt, then extra_pnginfo keys
saved = {"prompt": prompt, **extra_pnginfo}
encode_video(f"{out}/SaveWEBM.webm", 'libvpx-vp9', {}, 'yuv420p', saved)

# SaveAudio / SaveAudioMP3 / SaveAudioOpus
meta = {"prompt": json.dumps(prompt)}
for x in extra_pnginfo: meta[x] = json.dumps(extra_pnginfo[x])
for fmt, codec, ext in (("flac", "flac", "flac"), ("mp3", "libmp3lame", "mp3"), ("opus", "libopus", "opus")):
    buf = io.BytesIO()
    container = av.open(buf, mode='w', format=fmt)
    for k, v in meta.items(): container.metadata[k] = v
    rate = 48000
    stream = container.add_stream(codec, rate=rate); stream.layout = 'mono'
    samples = (np.sin(np.arange(4800) / 10.0) * 0.3).astype(np.float32).reshape(1, -1)
    frame = av.AudioFrame.from_ndarray(samples, format='flt', layout='mono'); frame.sample_rate = rate; frame.pts = 0
    for packet in stream.encode(frame): container.mux(packet)
    for packet in stream.encode(None): container.mux(packet)
    container.close()
    open(f"{out}/SaveAudio.{ext}", "wb").write(buf.getvalue())
print("ok")
