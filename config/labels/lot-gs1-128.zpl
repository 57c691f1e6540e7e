^XA
^PW812
^LL406
^FX Lot (case) label: GS1-128 in mode D, which takes the bracketed text and adds the FNC1s.
^FO30,30^A0N,40,40^FD{product}^FS
^FO30,80^A0N,30,30^FDLOT {lot}   QTY {quantity}^FS
^FO30,120^A0N,30,30^FDPROD {productionDate}   EXP {expiryDate}^FS
^FO30,170^BY2^BCN,140,N,N,N,D^FD{gs1Code128}^FS
^FO30,330^A0N,24,24^FD{gs1Text}^FS
^PQ1
^XZ
