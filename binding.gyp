{
  "targets": [
    {
      "target_name": "dlnv_native",
      "sources": ["native/gemm.c"],
      "cflags": ["-O3", "-std=gnu17", "-ffp-contract=off"],
      "cflags!": ["-O2"]
    }
  ]
}
