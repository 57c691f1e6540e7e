^XA
^PW812
^LL406
^FX Unit label: GS1 DataMatrix (FNC1 first; _1 separates fields) and its human-readable text.
^FO30,40^BXN,7,200,,,,_^FD{gs1DataMatrix}^FS
^FO300,40^A0N,40,40^FD{product}^FS
^FO300,100^A0N,30,30^FDGTIN {gtin}^FS
^FO300,140^A0N,30,30^FDLOT {lot}^FS
^FO300,180^A0N,30,30^FDEXP {expiryDate}^FS
^FO300,220^A0N,30,30^FDSN {serial}^FS
^FO30,330^A0N,24,24^FD{gs1Text}^FS
^PQ1
^XZ
